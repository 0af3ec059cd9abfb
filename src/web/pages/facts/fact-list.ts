/** The "Facts" section: the short fields that attack.mitre.org shows in the card beside a description. */
import { stringList, type StixObject } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { commaList, factList, section, type Fact } from '../components.js';

/** Renders the facts section, or nothing when no fact has a value. */
export function factsSection(facts: readonly Fact[]): SafeHtml {
  const list = factList(facts);
  return list.value === '' ? html`` : section('facts', 'Facts', list);
}

/** Builds a fact from a list of strings, such as `x_mitre_platforms`. `factList` leaves it out when the list is empty. */
export function listFact(label: string, json: StixObject, key: string): Fact {
  return [label, commaList(stringList(json, key))];
}

/** Builds a Yes/No fact from a boolean field. `factList` leaves it out when the field is absent or not a boolean. */
export function booleanFact(label: string, json: StixObject, key: string): Fact {
  const value = json[key];
  if (typeof value !== 'boolean') return [label, undefined];
  return [label, value ? 'Yes' : 'No'];
}

export function platformsFact(json: StixObject): Fact {
  return listFact('Platforms', json, 'x_mitre_platforms');
}

export function contributorsFact(json: StixObject): Fact {
  return listFact('Contributors', json, 'x_mitre_contributors');
}
