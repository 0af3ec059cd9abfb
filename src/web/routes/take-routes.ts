/**
 * Pages for writing and reviewing analyst takes. TakeService contains every rule
 * and permission check of take actions. These handlers turn form posts into
 * service calls, and the service's errors into the form again with the
 * message, or into an error page. Successful writes redirect (303) back to a
 * page with a `done` message. All routes need a signed-in user, so GETs of
 * anonymous readers redirect to the login form and other anonymous requests
 * get 401. The central CSRF check covers every session-authenticated POST.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayPerform } from '../../accounts/permissions.js';
import type { Config } from '../../config.js';
import { isStixId } from '../../domain/ids.js';
import { AppError, BadRequestError, ConflictStateError, ForbiddenError, NotFoundError } from '../../errors.js';
import type { ObjectSnapshot, Store } from '../../storage/store.js';
import type { AuditRecord, TakeFilter, TakeRecord } from '../../storage/team-store.js';
import { checkPublishable, type PublishCheck } from '../../takes/publish-check.js';
import { MAX_TAKE_LENGTH, NotPublishableError, TakeService, type TakeView } from '../../takes/take-service.js';
import { csrfField, originOf, principalOf, requirePrincipal, requireSignIn } from '../auth/index.js';
import { html } from '../render/html.js';
import { loadPageContext, type PageContext } from '../pages/page-context.js';
import { renderEditorPage, type NewerVersion, type TakeChange } from '../pages/takes/editor-page.js';
import { renderObjectChoicePage } from '../pages/takes/object-choice-page.js';
import { lookUpTakeObject, normalizeAttackId } from '../pages/takes/take-object-lookup.js';
import { ANY_STATE_FILTER, isTakeState, OPEN_STATES_FILTER, renderQueuePage, type QueueFilter } from '../pages/takes/queue-page.js';
import { REPIN_ANCHOR, renderReviewPage } from '../pages/takes/review-page.js';
import { reviewPath, TAKES_PATH, takePath } from '../pages/takes/take-links.js';
import type { PageMessages } from '../pages/takes/take-parts.js';
import { renderTakePreview } from '../pages/takes/take-parts.js';
import { needsRepin } from '../pages/takes/take-permissions.js';
import { takeStateLabel } from '../pages/takes/take-state.js';

const HTML = 'text/html; charset=utf-8';

/** Messages for the `done` query parameter that a successful write redirects with. */
const DONE_MESSAGES: Record<string, string> = {
  created: 'The draft is saved and pinned to the current version of the object. Submit it for review when it is ready.',
  exists: 'The object already has this take, and an object has one take at a time: edit it, or withdraw it to write a new one.',
  saved: 'Your changes are saved; the take is a draft.',
  submitted: 'The take is submitted for review.',
  withdrawn: 'The take is withdrawn. Readers no longer see it.',
  repinned: 'The take is pinned to the current version of the object.',
  published: 'The take is published: readers see it on the object page.',
  'checked-publishable': 'The publication check is recorded in the audit log with its result: the take can be published.',
  'checked-blocked': 'The publication check is recorded in the audit log with its result: the take cannot be published yet, for the reasons below.',
};

/** Message shown beside the text box for a take without text. The service's own message names the API field instead. */
const EMPTY_TAKE_MESSAGE = 'The take is empty: write your analysis in the "Take in Markdown" box.';

/** Audit actions that change a take. Validations and refused actions leave it as it was. */
const TAKE_CHANGE_ACTIONS = new Set(['take.create', 'take.edit', 'take.submit', 'take.publish', 'take.repin', 'take.withdraw', 'take.stale']);

/** Number of audit entries read to find a take's latest change. After more validations and refusals than this, the page names no latest change. */
const RECENT_AUDIT_ENTRIES = 20;

type FormBody = Record<string, string | string[] | undefined>;
type TakeParams = { Params: { id: string } };

/** The text a form posted and the take revision it was read at, for rendering the form again. */
interface PostedForm {
  body: string;
  readRevision?: number | undefined;
}

function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as FormBody)[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseTakeId(raw: string): number {
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new NotFoundError(`There is no take ${raw}: take IDs are positive whole numbers.`);
  return Number(raw);
}

/** Returns a revision form field as a number, or undefined when it is missing or not a whole number. */
function revisionField(body: unknown, name: string): number | undefined {
  const raw = formField(body, name);
  return raw !== undefined && /^\d{1,10}$/.test(raw) ? Number(raw) : undefined;
}

function parseRevision(body: unknown, name = 'revision'): number {
  const revision = revisionField(body, name);
  if (revision === undefined) {
    throw new BadRequestError(`The form sent an invalid revision "${formField(body, name) ?? ''}": reload the take and try again.`);
  }
  return revision;
}

function doneMessages(query: unknown): PageMessages {
  const done = formField(query, 'done');
  const notice = done === undefined ? undefined : DONE_MESSAGES[done];
  return notice === undefined ? {} : { notice };
}

/** Pages of one user's session: never stored by the browser or a shared cache. */
function sendPage(reply: FastifyReply, markup: string, status = 200): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').type(HTML).send(markup);
}

/** Logs a take action that the service rejected and that the page shows to the user, at info level because the user caused it. */
function logRejected(request: FastifyRequest, error: AppError, action: string, takeId?: number): void {
  request.log.info({ action, takeId, code: error.code, status: error.status, user: principalOf(request)?.name }, `take ${action} rejected: ${error.message}`);
}

function changeOf(entry: AuditRecord | undefined): TakeChange | undefined {
  return entry ? { auditId: entry.id, actorName: entry.actorName, at: entry.at, action: entry.action } : undefined;
}

/**
 * Reads from the audit log who saved the take's text last and who changed the take last.
 * NOTE: this reads the store directly. A TakeService method would keep the list of audit actions in one place.
 */
async function loadNewerVersion(store: Store, take: TakeRecord, readRevision: number): Promise<NewerVersion> {
  const subject = `take:${take.id}`;
  const [edits, creations, recent] = await Promise.all([
    store.team.listAudit({ subject, action: 'take.edit', limit: 1 }),
    store.team.listAudit({ subject, action: 'take.create', limit: 1 }),
    store.team.listAudit({ subject, limit: RECENT_AUDIT_ENTRIES }),
  ]);
  return {
    readRevision,
    textSaved: changeOf(edits[0] ?? creations[0]),
    latest: changeOf(recent.find((entry) => TAKE_CHANGE_ACTIONS.has(entry.action))),
  };
}

export function registerTakeRoutes(app: FastifyInstance, store: Store, config: Config): void {
  const allowSelfPublish = config.takes.allowSelfPublish;
  const service = new TakeService(store, { allowSelfPublish });
  const signedIn = { preHandler: requireSignIn };

  /** Loads the page context of the version whose definition the take pages show: the pinned one, else the current one. */
  const definitionContext = async (snapshot: ObjectSnapshot | undefined): Promise<PageContext | undefined> =>
    snapshot ? loadPageContext(store, config, snapshot, true) : undefined;

  /**
   * Renders the editor of a take with the text in the box. When the form was read at an older revision
   * than the saved take, the page keeps that revision in the form and shows the newer version.
   */
  const sendEditor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    view: TakeView,
    form: PostedForm,
    messages: PageMessages,
    status = 200,
    bodyError?: string,
  ) => {
    const { take, pinned, current } = view;
    const behind = form.readRevision !== undefined && form.readRevision !== take.revision;
    const differs = pinned !== undefined && current !== undefined && pinned.contentHash !== current.contentHash;
    const markup = renderEditorPage({
      config,
      csrf: csrfField(request),
      viewer: requirePrincipal(request),
      take,
      pinned,
      current,
      definition: await definitionContext(pinned ?? current),
      body: form.body,
      messages,
      newer: behind && form.readRevision !== undefined ? await loadNewerVersion(store, take, form.readRevision) : undefined,
      bodyError,
      // checkPublishable only reads; it compares the pinned version with the current one field by field.
      changedFields: differs ? checkPublishable(view).comparison?.changes.map((change) => change.field) : undefined,
    });
    return sendPage(reply, markup, status);
  };

  const sendNewEditor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    object: ObjectSnapshot,
    body: string,
    messages: PageMessages,
    status = 200,
    bodyError?: string,
  ) => {
    const markup = renderEditorPage({
      config,
      csrf: csrfField(request),
      viewer: requirePrincipal(request),
      take: undefined,
      pinned: object,
      current: object,
      definition: await definitionContext(object),
      body,
      messages,
      bodyError,
    });
    return sendPage(reply, markup, status);
  };

  const sendReview = async (request: FastifyRequest, reply: FastifyReply, view: TakeView, check: PublishCheck, messages: PageMessages, status = 200) => {
    const markup = renderReviewPage({
      config,
      csrf: csrfField(request),
      view,
      check,
      definition: await definitionContext(view.pinned ?? view.current),
      messages,
      viewer: requirePrincipal(request),
      allowSelfPublish,
    });
    return sendPage(reply, markup, status);
  };

  /** Reviewing needs the role that may validate and publish; the service checks it again on every review action. */
  const requireReviewer = (request: FastifyRequest): void => {
    const principal = requirePrincipal(request);
    if (!mayPerform(principal.role, 'take.review')) {
      throw new ForbiddenError(`The ${principal.role} role cannot review takes; ask an admin for the reviewer role.`);
    }
  };

  app.get<{ Querystring: Record<string, string | undefined> }>(TAKES_PATH, signedIn, async (request, reply) => {
    const principal = requirePrincipal(request);
    const filter: QueueFilter = {
      state: request.query.state || OPEN_STATES_FILTER,
      object: (request.query.object ?? '').trim(),
      mine: request.query.mine === '1',
    };
    const takeFilter: TakeFilter = {};
    let problem: string | undefined;
    if (isTakeState(filter.state)) {
      takeFilter.states = [filter.state];
    } else if (filter.state === OPEN_STATES_FILTER) {
      takeFilter.states = ['draft', 'submitted', 'published', 'stale'];
    } else if (filter.state !== ANY_STATE_FILTER) {
      problem = `Unknown state "${filter.state}"; showing takes that are not withdrawn.`;
      filter.state = OPEN_STATES_FILTER;
      takeFilter.states = ['draft', 'submitted', 'published', 'stale'];
    }
    if (isStixId(filter.object)) takeFilter.stixId = filter.object;
    if (filter.mine) takeFilter.authorId = principal.userId;

    let takes = await service.list(takeFilter);
    if (filter.object !== '' && !isStixId(filter.object)) {
      const attackId = normalizeAttackId(filter.object);
      takes = takes.filter((take) => take.attackId?.toUpperCase() === attackId);
    }
    const releases = await store.listReleases();
    return sendPage(reply, renderQueuePage({ config, takes, filter, releases, canReview: mayPerform(principal.role, 'take.review'), problem }));
  });

  app.get<{ Querystring: { object?: string } }>(`${TAKES_PATH}/new`, signedIn, async (request, reply) => {
    const typed = request.query.object ?? '';
    const found = await lookUpTakeObject(store, typed);
    if (!found.object) {
      if (found.status === 409) return sendPage(reply, renderObjectChoicePage({ config, message: found.message, objects: found.candidates, typed }));
      throw found.status === 404 ? new NotFoundError(found.message) : new BadRequestError(found.message);
    }
    const open = await service.open(found.object.stixId);
    if (open) return reply.redirect(`${takePath(open.id)}?done=exists`, 303);
    return sendNewEditor(request, reply, found.object, '', {});
  });

  app.post(TAKES_PATH, signedIn, async (request, reply) => {
    const typed = formField(request.body, 'object') ?? '';
    const body = formField(request.body, 'body') ?? '';
    const found = await lookUpTakeObject(store, typed);
    if (!found.object) {
      // The page keeps the posted text, and sends it on to the editor of the chosen or corrected object.
      const page = renderObjectChoicePage({ config, message: found.message, objects: found.candidates, typed, posted: { csrf: csrfField(request), body } });
      return sendPage(reply, page, found.status);
    }
    const { object } = found;
    if (formField(request.body, 'intent') === 'preview') return sendNewEditor(request, reply, object, body, {});
    if (body.trim() === '') return sendNewEditor(request, reply, object, body, { error: EMPTY_TAKE_MESSAGE }, 400, EMPTY_TAKE_MESSAGE);
    try {
      const take = await service.create(originOf(request), object.stixId, body);
      return reply.redirect(`${takePath(take.id)}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error instanceof NotFoundError) throw error;
      logRejected(request, error, 'create');
      const open = error instanceof ConflictStateError ? await service.open(object.stixId) : undefined;
      const message = open
        ? html`${open.attackId ?? open.stixId} already has a take: <a href="${takePath(open.id)}">take ${open.id}</a> by ${open.authorName},
            ${takeStateLabel(open.state)}. Edit that take, or withdraw it first to write a new one.`
        : error.message;
      return sendNewEditor(request, reply, object, body, { error: message }, error.status);
    }
  });

  app.post(`${TAKES_PATH}/preview`, signedIn, async (request, reply) => {
    requirePrincipal(request);
    const body = formField(request.body, 'body') ?? '';
    if (body.length > MAX_TAKE_LENGTH) {
      throw new BadRequestError(`The take has ${body.length} characters; the maximum is ${MAX_TAKE_LENGTH}. Shorten it.`);
    }
    // Citations resolve against the references of the version the take is pinned to, or of a new take's object.
    const takeId = formField(request.body, 'take');
    const stixId = formField(request.body, 'object') ?? '';
    let object: ObjectSnapshot | undefined;
    if (takeId !== undefined && takeId !== '') {
      const view = await service.view(parseTakeId(takeId));
      object = view.pinned ?? view.current;
    } else if (isStixId(stixId)) {
      object = await store.currentSnapshot(stixId);
    }
    return sendPage(reply, renderTakePreview(body, object).value);
  });

  app.get<TakeParams & { Querystring: { done?: string } }>(`${TAKES_PATH}/:id`, signedIn, async (request, reply) => {
    const view = await service.view(parseTakeId(request.params.id));
    return sendEditor(request, reply, view, { body: view.take.body }, doneMessages(request.query));
  });

  app.post<TakeParams>(`${TAKES_PATH}/:id`, signedIn, async (request, reply) => {
    const id = parseTakeId(request.params.id);
    const form: PostedForm = { body: formField(request.body, 'body') ?? '', readRevision: revisionField(request.body, 'revision') };
    if (formField(request.body, 'intent') === 'preview') return sendEditor(request, reply, await service.view(id), form, {});
    if (form.body.trim() === '') {
      return sendEditor(request, reply, await service.view(id), form, { error: EMPTY_TAKE_MESSAGE }, 400, EMPTY_TAKE_MESSAGE);
    }
    // "Replace the newer version with my text" sends the newer revision beside the one the form was read at.
    const replacing = formField(request.body, 'replace_revision') !== undefined;
    try {
      await service.edit(originOf(request), id, parseRevision(request.body, replacing ? 'replace_revision' : 'revision'), form.body);
      return reply.redirect(`${takePath(id)}?done=saved`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error instanceof NotFoundError) throw error;
      logRejected(request, error, 'edit', id);
      const view = await service.view(id);
      const conflict = error instanceof ConflictStateError && form.readRevision !== undefined && form.readRevision !== view.take.revision;
      const message = conflict
        ? html`Your changes are not saved: someone changed take ${id} after you opened it (your form is based on revision
            ${form.readRevision}, the take is at revision ${view.take.revision}). <a href="#newer-version">Compare with the newer version</a>,
            then replace it with your text or load it.`
        : error.message;
      return sendEditor(request, reply, view, form, { error: message }, error.status);
    }
  });

  /** Registers a take action whose form posts only the revision, and which returns to the editor. */
  const editorAction = (action: 'submit' | 'withdraw', done: string) => {
    app.post<TakeParams>(`${TAKES_PATH}/:id/${action}`, signedIn, async (request, reply) => {
      const id = parseTakeId(request.params.id);
      try {
        await service[action](originOf(request), id, parseRevision(request.body));
        return reply.redirect(`${takePath(id)}?done=${done}`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error instanceof NotFoundError) throw error;
        logRejected(request, error, action, id);
        const view = await service.view(id);
        return sendEditor(request, reply, view, { body: view.take.body }, { error: error.message }, error.status);
      }
    });
  };
  editorAction('submit', 'submitted');
  editorAction('withdraw', 'withdrawn');

  app.get<TakeParams & { Querystring: { done?: string } }>(`${TAKES_PATH}/:id/review`, signedIn, async (request, reply) => {
    requireReviewer(request);
    const view = await service.view(parseTakeId(request.params.id));
    return sendReview(request, reply, view, checkPublishable(view), doneMessages(request.query));
  });

  // Records the check in the audit log, then redirects, so that reloading the review page does not record it again.
  app.post<TakeParams>(`${TAKES_PATH}/:id/validate`, signedIn, async (request, reply) => {
    const id = parseTakeId(request.params.id);
    const check = await service.validate(originOf(request), id);
    return reply.redirect(`${reviewPath(id)}?done=${check.publishable ? 'checked-publishable' : 'checked-blocked'}`, 303);
  });

  /**
   * Registers a review action. A failure renders the review page with the reason, unless the user may
   * not review at all. When the take must be re-pinned first, the reason links the re-pin section.
   */
  const reviewAction = (action: 'repin' | 'publish', done: string, confirmation?: string) => {
    app.post<TakeParams>(`${TAKES_PATH}/:id/${action}`, signedIn, async (request, reply) => {
      const id = parseTakeId(request.params.id);
      try {
        if (confirmation !== undefined && formField(request.body, 'confirm') !== 'yes') throw new BadRequestError(confirmation);
        await service[action](originOf(request), id, parseRevision(request.body));
        return reply.redirect(`${reviewPath(id)}?done=${done}`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error instanceof NotFoundError) throw error;
        if (error instanceof ForbiddenError && !mayPerform(requirePrincipal(request).role, 'take.review')) throw error;
        logRejected(request, error, action, id);
        const view = await service.view(id);
        const check = error instanceof NotPublishableError ? error.check : checkPublishable(view);
        const message =
          action === 'publish' && needsRepin(view.take, check)
            ? html`${error.message} <a href="#${REPIN_ANCHOR}">Go to Re-pin</a>.`
            : error.message;
        return sendReview(request, reply, view, check, { error: message }, error.status);
      }
    });
  };
  reviewAction('repin', 'repinned', 'Tick "I have read what changed" before re-pinning: re-pinning says the take holds for the current version.');
  reviewAction('publish', 'published');
}
