import type { ObjectSnapshot } from '../../../storage/store.js';

/** Tells whether an object is neither deprecated nor revoked. MITRE recommends leaving the others out of views of the knowledge base. */
export function isActive(object: Pick<ObjectSnapshot, 'deprecated' | 'revoked'>): boolean {
  return !object.deprecated && !object.revoked;
}
