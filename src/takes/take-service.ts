/**
 * The take lifecycle: draft, submitted, published, stale, withdrawn. Pages,
 * the API and the CLI all go through this service, so one set of rules
 * decides who may do what and when a take may be published. Every change is
 * written together with its audit entry.
 */
import type { Principal } from '../accounts/permissions.js';
import { mayPerform } from '../accounts/permissions.js';
import { BadRequestError, ConflictStateError, ForbiddenError, NotFoundError } from '../errors.js';
import type { ObjectSnapshot, Store } from '../storage/store.js';
import type { NewAuditEntry, TakeChanges, TakeFilter, TakeRecord } from '../storage/team-store.js';
import { ConflictError } from '../storage/team-store.js';
import { checkPublishable, type PublishCheck } from './publish-check.js';

/** Maximum length of a take body, in characters; the longest ATT&CK descriptions are about 10,000 (an estimate). */
export const MAX_TAKE_LENGTH = 20_000;

/** The principal and client address of an action, for the audit log. */
export interface ActionOrigin {
  principal: Principal;
  address: string | null;
}

/** A draft read from a file by `glexia takes import`. */
export interface ImportedDraft {
  stixId: string;
  body: unknown;
  authorId: number;
  /** Release whose version of the object the draft is pinned to. */
  pinnedReleaseId: number;
  /** File the draft was read from, for the audit log. */
  source: string;
}

/** A take with the object version it is pinned to and the object's current version. */
export interface TakeView {
  take: TakeRecord;
  pinned: ObjectSnapshot | undefined;
  current: ObjectSnapshot | undefined;
}

function summary(take: TakeRecord | undefined): Record<string, unknown> | null {
  if (!take) return null;
  return {
    state: take.state,
    stixId: take.stixId,
    pinnedContentHash: take.pinnedContentHash,
    pinnedReleaseId: take.pinnedReleaseId,
    editor: take.editorName,
    reviewer: take.reviewerName,
    validatedAt: take.validatedAt,
    body: take.body,
  };
}

function checkBody(body: unknown): string {
  if (typeof body !== 'string' || body.trim() === '') {
    throw new BadRequestError('The take is empty: write the analysis in Markdown in the "body" field.');
  }
  if (body.length > MAX_TAKE_LENGTH) {
    throw new BadRequestError(`The take has ${body.length} characters; the maximum is ${MAX_TAKE_LENGTH}. Shorten it.`);
  }
  return body;
}

export interface TakeServiceOptions {
  /**
   * Lets a reviewer publish a take they wrote. Off by default, so that every published take has been
   * read against the source by a second person; a team of one turns it on.
   */
  allowSelfPublish?: boolean;
}

export class TakeService {
  constructor(
    private readonly store: Store,
    private readonly options: TakeServiceOptions = {},
  ) {}

  /** Writes a draft for the object, pinned to its current version. */
  async create(origin: ActionOrigin, stixId: string, body: unknown): Promise<TakeRecord> {
    await this.require(origin, 'take.write', 'write takes', 'take:new');
    const text = checkBody(body);
    const object = await this.store.currentSnapshot(stixId);
    if (!object) throw new NotFoundError(`No imported release contains an object with STIX ID ${stixId}.`);
    return this.insertDraft(origin, object, text, origin.principal.userId, {});
  }

  /**
   * Writes a draft read from an exported file, pinned to the object's version in release
   * `pinnedReleaseId` and written in the name of `authorId`. Writing in another user's name takes
   * the reviewer role, as acting on another user's take does.
   */
  async importDraft(origin: ActionOrigin, draft: ImportedDraft): Promise<TakeRecord> {
    await this.require(origin, 'take.write', 'write takes', 'take:new');
    if (draft.authorId !== origin.principal.userId) {
      await this.require(origin, 'take.review', "write takes in another user's name", 'take:new');
    }
    const author = await this.store.team.userById(draft.authorId);
    if (!author || author.disabled) throw new BadRequestError(`User ${draft.authorId} does not exist or is disabled; name an active author.`);
    const text = checkBody(draft.body);
    const object = await this.store.snapshot(draft.stixId, draft.pinnedReleaseId);
    if (!object) throw new NotFoundError(`Release ${draft.pinnedReleaseId} does not contain an object with STIX ID ${draft.stixId}.`);
    return this.insertDraft(origin, object, text, author.id, { importedFrom: draft.source });
  }

  /** Listed takes the caller may read: every take for signed-in users, published takes for anonymous readers. */
  async listReadable(principal: Principal | undefined, filter: TakeFilter): Promise<TakeRecord[]> {
    if (principal) return this.list(filter);
    const states = (filter.states ?? ['published']).filter((state) => state === 'published');
    return states.length === 0 ? [] : this.list({ ...filter, states });
  }

  /** Loads the take when the caller may read it. Anonymous readers get not-found for a take that is not published. */
  async loadReadable(principal: Principal | undefined, id: number): Promise<TakeRecord> {
    if (principal) return this.load(id);
    const take = await this.store.team.takeById(id);
    if (!take || take.state !== 'published') {
      throw new NotFoundError(`There is no published take ${id}; sign in to read takes that are not published.`);
    }
    return take;
  }

  private async insertDraft(
    origin: ActionOrigin,
    object: ObjectSnapshot,
    text: string,
    authorId: number,
    auditExtras: Record<string, unknown>,
  ): Promise<TakeRecord> {
    const { stixId } = object;
    if (object.type === 'relationship') throw new BadRequestError(`${stixId} is a relationship; write takes on the objects it connects.`);
    try {
      return await this.store.team.createTake(
        {
          stixId,
          attackId: object.attackId,
          body: text,
          authorId,
          pinnedContentHash: object.contentHash,
          pinnedReleaseId: object.release.id,
        },
        this.audit(origin, 'take.create', '', null, { stixId, state: 'draft', pinnedContentHash: object.contentHash, body: text, ...auditExtras }),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const [open] = await this.store.team.listTakes({ stixId, states: ['draft', 'submitted', 'published', 'stale'] });
      throw new ConflictStateError(
        `${object.attackId ?? stixId} already has a take${open ? ` (take ${open.id}, ${open.state})` : ''}: edit it, or withdraw it first.`,
      );
    }
  }

  /**
   * Replaces the body. An edited take goes back to draft, because its validation no longer holds.
   * Text equal to the saved body changes nothing, so a form sent twice does not report a conflict.
   */
  async edit(origin: ActionOrigin, id: number, revision: number, body: unknown): Promise<TakeRecord> {
    const take = await this.load(id);
    await this.requireAuthorOrReviewer(origin, take, 'edit');
    const text = checkBody(body);
    if (take.state === 'withdrawn') throw new ConflictStateError(`Take ${id} is withdrawn and cannot be edited; write a new take.`);
    if (take.state === 'published' && !mayPerform(origin.principal.role, 'take.review')) {
      await this.deny(origin, take, 'take.edit', `Take ${id} is published; only a reviewer can edit it, which returns it to draft.`);
    }
    if (text === take.body) return take;
    const changes: TakeChanges = { body: text, editorId: origin.principal.userId, state: 'draft', reviewerId: null, validatedAt: null };
    return this.change(origin, take, revision, 'take.edit', changes);
  }

  async submit(origin: ActionOrigin, id: number, revision: number): Promise<TakeRecord> {
    const take = await this.load(id);
    await this.requireAuthorOrReviewer(origin, take, 'submit');
    if (take.state !== 'draft' && take.state !== 'stale') {
      throw new ConflictStateError(`Take ${id} is ${take.state}; only a draft or a stale take can be submitted for review.`);
    }
    return this.change(origin, take, revision, 'take.submit', { state: 'submitted' });
  }

  /** Checks a take against the object's current version and records the check. Changes nothing else. */
  async validate(origin: ActionOrigin, id: number): Promise<PublishCheck> {
    await this.require(origin, 'take.review', 'validate takes', `take:${id}`);
    const view = await this.view(id);
    const check = checkPublishable(view);
    await this.store.team.appendAudit(
      this.audit(origin, 'take.validate', `take:${id}`, summary(view.take), { publishable: check.publishable, reasons: check.reasons }),
    );
    return check;
  }

  /** Publishes a submitted take when its pinned version is the object's current one and that version is valid. */
  async publish(origin: ActionOrigin, id: number, revision: number): Promise<TakeRecord> {
    await this.require(origin, 'take.review', 'publish takes', `take:${id}`);
    const libraryVersion = await this.store.libraryVersion();
    const view = await this.view(id);
    const ownText = view.take.authorId === origin.principal.userId || view.take.editorId === origin.principal.userId;
    if (ownText && this.options.allowSelfPublish !== true) {
      const role = view.take.authorId === origin.principal.userId ? 'written' : 'last edited';
      await this.deny(
        origin,
        view.take,
        'take.publish',
        `Take ${id} was ${role} by ${origin.principal.name}, so another reviewer must publish it: every published take is read ` +
          'against the source by a second person. A team of one can allow self-publishing with the setting takes.allowSelfPublish.',
      );
    }
    if (view.take.state !== 'submitted') {
      throw new ConflictStateError(`Take ${id} is ${view.take.state}; only a submitted take can be published.`);
    }
    const check = checkPublishable(view);
    if (!check.publishable) throw new NotPublishableError(id, check);
    const changes: TakeChanges = { state: 'published', reviewerId: origin.principal.userId, validatedAt: new Date().toISOString() };
    // The library version guards against an import that changes the object between the check and the write.
    return this.change(origin, view.take, revision, 'take.publish', changes, libraryVersion);
  }

  /** Pins the take to the object's current version, after the reviewer has read what changed. */
  async repin(origin: ActionOrigin, id: number, revision: number): Promise<TakeRecord> {
    await this.require(origin, 'take.review', 're-pin takes', `take:${id}`);
    const view = await this.view(id);
    const { take, current } = view;
    if (!current) throw new NotFoundError(`No imported release contains ${take.stixId} any more.`);
    if (take.state === 'withdrawn' || take.state === 'published') {
      throw new ConflictStateError(`Take ${id} is ${take.state}; only a draft, submitted or stale take can be re-pinned.`);
    }
    const changes: TakeChanges = { pinnedContentHash: current.contentHash, pinnedReleaseId: current.release.id };
    // A stale take was validated once; re-pinned, it waits for review again.
    if (take.state === 'stale') changes.state = 'submitted';
    return this.change(origin, take, revision, 'take.repin', changes);
  }

  async withdraw(origin: ActionOrigin, id: number, revision: number): Promise<TakeRecord> {
    const take = await this.load(id);
    await this.requireAuthorOrReviewer(origin, take, 'withdraw');
    if (take.state === 'withdrawn') throw new ConflictStateError(`Take ${id} is already withdrawn.`);
    if (take.state === 'published' && !mayPerform(origin.principal.role, 'take.review')) {
      await this.deny(origin, take, 'take.withdraw', `Take ${id} is published; only a reviewer can withdraw it.`);
    }
    return this.change(origin, take, revision, 'take.withdraw', { state: 'withdrawn' });
  }

  /** Returns the published take on the object, which readers see. */
  async published(stixId: string): Promise<TakeRecord | undefined> {
    const [take] = await this.store.team.listTakes({ stixId, states: ['published'] });
    return take;
  }

  /** Returns the take on the object that is not withdrawn, if any. At most one exists. */
  async open(stixId: string): Promise<TakeRecord | undefined> {
    const [take] = await this.store.team.listTakes({ stixId, states: ['draft', 'submitted', 'published', 'stale'] });
    return take;
  }

  async list(filter: TakeFilter): Promise<TakeRecord[]> {
    return this.store.team.listTakes(filter);
  }

  async view(id: number): Promise<TakeView> {
    const take = await this.load(id);
    const [pinned, current] = await Promise.all([
      this.store.snapshot(take.stixId, take.pinnedReleaseId),
      this.store.currentSnapshot(take.stixId),
    ]);
    return { take, pinned, current };
  }

  async load(id: number): Promise<TakeRecord> {
    const take = await this.store.team.takeById(id);
    if (!take) throw new NotFoundError(`There is no take ${id}.`);
    return take;
  }

  private async change(
    origin: ActionOrigin,
    take: TakeRecord,
    revision: number,
    action: string,
    changes: TakeChanges,
    libraryVersion?: number,
  ): Promise<TakeRecord> {
    const after = { ...take, ...changes };
    if (changes.reviewerId !== undefined) after.reviewerName = changes.reviewerId === null ? null : origin.principal.name;
    if (changes.editorId !== undefined) after.editorName = origin.principal.name;
    const entry = this.audit(origin, action, `take:${take.id}`, summary(take), summary(after));
    const updated = await this.store.team.updateTake(take.id, revision, changes, entry, libraryVersion);
    if (updated) return updated;

    const now = await this.load(take.id);
    if (now.revision !== revision) {
      throw new ConflictStateError(
        `Take ${take.id} is at revision ${now.revision}, but the request was based on revision ${revision}` +
          `${now.revision > revision ? ', so someone changed it since it was read' : ''}: reload the take and try again.`,
      );
    }
    throw new ConflictStateError(`A release was imported while take ${take.id} was being published: reload the review page and check it again.`);
  }

  /** Raises ForbiddenError unless the role allows the action, and records the refusal in the audit log. */
  private async require(origin: ActionOrigin, action: Parameters<typeof mayPerform>[1], what: string, subject: string): Promise<void> {
    if (mayPerform(origin.principal.role, action)) return;
    const message = `The ${origin.principal.role} role cannot ${what}; ask an admin for a higher role.`;
    await this.store.team.appendAudit(this.audit(origin, 'take.denied', subject, null, { attempted: what, reason: message }));
    throw new ForbiddenError(message);
  }

  /** Analysts may act on their own takes; reviewers on any take. */
  private async requireAuthorOrReviewer(origin: ActionOrigin, take: TakeRecord, verb: string): Promise<void> {
    const { principal } = origin;
    if (mayPerform(principal.role, 'take.review')) return;
    await this.require(origin, 'take.write', `${verb} takes`, `take:${take.id}`);
    if (take.authorId !== principal.userId) {
      await this.deny(origin, take, `take.${verb}`, `Take ${take.id} was written by ${take.authorName}; only its author or a reviewer can ${verb} it.`);
    }
  }

  /** Records a refused action on a take in the audit log, then raises ForbiddenError with the message. */
  private async deny(origin: ActionOrigin, take: TakeRecord, attempted: string, message: string): Promise<never> {
    await this.store.team.appendAudit(this.audit(origin, 'take.denied', `take:${take.id}`, summary(take), { attempted, reason: message }));
    throw new ForbiddenError(message);
  }

  private audit(origin: ActionOrigin, action: string, subject: string, before: unknown, after: unknown): NewAuditEntry {
    return {
      actorId: origin.principal.userId,
      actorName: origin.principal.name,
      channel: origin.principal.channel,
      action,
      subject,
      before,
      after,
      address: origin.address,
    };
  }
}

/** A take that cannot be published yet; carries the check so the caller can show why. */
export class NotPublishableError extends ConflictStateError {
  constructor(
    id: number,
    readonly check: PublishCheck,
  ) {
    super(`Take ${id} cannot be published: ${check.reasons.join(' ')}`);
  }
}

export type { PublishCheck };
