/**
 * The take actions the take pages offer a signed-in user, and the sentences that explain why the
 * others are not offered. The rules restate those of TakeService, which checks them again on every
 * action, so that a page does not show a button that the service would reject.
 */
import { mayPerform, type Principal } from '../../../accounts/permissions.js';
import type { TakeRecord } from '../../../storage/team-store.js';
import type { PublishCheck } from '../../../takes/publish-check.js';

/** The signed-in user looking at a take page. */
export type TakeViewer = Pick<Principal, 'userId' | 'role'>;

export interface EditorActions {
  edit: boolean;
  submit: boolean;
  withdraw: boolean;
  /** Sentences that explain the actions not offered, or none when all are offered. */
  reasons: string[];
}

export interface ReviewActions {
  publish: boolean;
  repin: boolean;
  /** The result of needsRepin. */
  needsRepin: boolean;
  /** Sentences that explain why the take cannot be published now, or none when it can. */
  publishReasons: string[];
}

function isReviewer(viewer: TakeViewer): boolean {
  return mayPerform(viewer.role, 'take.review');
}

/** Actions of the editor page: analysts act on their own takes that are not published, reviewers on any take. */
export function editorActions(viewer: TakeViewer, take: TakeRecord): EditorActions {
  const none = { edit: false, submit: false, withdraw: false };
  // The editor page itself states that a withdrawn take cannot be edited, and links "Write a new take".
  if (take.state === 'withdrawn') return { ...none, reasons: [] };

  const reviewer = isReviewer(viewer);
  const author = take.authorId === viewer.userId && mayPerform(viewer.role, 'take.write');
  if (!reviewer && !author) {
    return { ...none, reasons: [`Only its author, ${take.authorName}, or a reviewer can edit, submit or withdraw this take.`] };
  }

  const reasons: string[] = [];
  const publishedForAnalyst = take.state === 'published' && !reviewer;
  if (publishedForAnalyst) reasons.push('The take is published, so only a reviewer can edit or withdraw it.');
  const submit = take.state === 'draft' || take.state === 'stale';
  if (take.state === 'submitted') reasons.push('The take is already submitted for review.');
  if (take.state === 'published') {
    reasons.push(
      'A published take is not submitted again. Saving an edit makes it a draft, and readers then see the pending notice ' +
        'until a reviewer other than the editor publishes it again.',
    );
  }
  return { edit: !publishedForAnalyst, submit, withdraw: !publishedForAnalyst, reasons };
}

/** Returns whether the viewer may open the review page, which the editor page then links. */
export function mayReview(viewer: TakeViewer): boolean {
  return isReviewer(viewer);
}

/** Returns whether the take is pinned to a version other than the object's current one, so it must be re-pinned before it can be published. */
export function needsRepin(take: TakeRecord, check: PublishCheck): boolean {
  return check.currentContentHash !== undefined && check.currentContentHash !== take.pinnedContentHash;
}

function stateReason(take: TakeRecord): string | undefined {
  switch (take.state) {
    case 'draft':
      return 'The take is a draft: it can be published after it is submitted for review.';
    case 'published':
      return 'The take is already published.';
    case 'stale':
      return 'The take is stale: the object changed after the take was published. Re-pin it to the current version first; it then goes back to submitted.';
    case 'withdrawn':
      return 'The take is withdrawn and cannot be published.';
    default:
      return undefined;
  }
}

/**
 * Actions of the review page, whose viewer is a reviewer. Publishing needs a submitted take pinned to
 * the object's current version, a current version without schema errors, and a reviewer other than
 * the author unless `allowSelfPublish` is set.
 */
export function reviewActions(viewer: TakeViewer, take: TakeRecord, check: PublishCheck, allowSelfPublish: boolean): ReviewActions {
  const reviewer = isReviewer(viewer);
  const outdated = needsRepin(take, check);
  const repinnable = take.state === 'draft' || take.state === 'submitted' || take.state === 'stale';

  const publishReasons: string[] = [];
  const byState = stateReason(take);
  if (byState) publishReasons.push(byState);
  if (outdated && take.state !== 'stale' && repinnable) {
    publishReasons.push('The take is pinned to an older version of the object: read what changed and re-pin it first.');
  }
  if (check.currentContentHash === undefined) publishReasons.push('No imported release contains the object any more.');
  if (check.schemaErrors.length > 0) {
    publishReasons.push('The current version of the object fails schema validation, so no take on it can be published until a release fixes the object.');
  }
  if ((take.authorId === viewer.userId || take.editorId === viewer.userId) && !allowSelfPublish) {
    const what = take.authorId === viewer.userId ? 'wrote this take' : 'last edited the text of this take';
    publishReasons.push(`You ${what}, so another reviewer must publish it.`);
  }

  return {
    publish: reviewer && publishReasons.length === 0,
    repin: reviewer && outdated && repinnable,
    needsRepin: outdated,
    publishReasons,
  };
}
