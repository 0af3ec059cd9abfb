/**
 * Pages for writing and reviewing analyst takes. TakeService holds every rule
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
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from '../../errors.js';
import type { ObjectSnapshot, Store } from '../../storage/store.js';
import type { TakeFilter } from '../../storage/team-store.js';
import { checkPublishable, type PublishCheck } from '../../takes/publish-check.js';
import { MAX_TAKE_LENGTH, NotPublishableError, TakeService, type TakeView } from '../../takes/take-service.js';
import { csrfField, originOf, principalOf, requirePrincipal, requireSignIn } from '../auth/index.js';
import { loadPageContext, type PageContext } from '../pages/page-context.js';
import { renderEditorPage } from '../pages/takes/editor-page.js';
import { ANY_STATE_FILTER, isTakeState, OPEN_STATES_FILTER, renderQueuePage, type QueueFilter } from '../pages/takes/queue-page.js';
import { renderReviewPage } from '../pages/takes/review-page.js';
import { reviewPath, TAKES_PATH, takePath } from '../pages/takes/take-links.js';
import type { PageMessages } from '../pages/takes/take-parts.js';
import { renderTakePreview } from '../pages/takes/take-parts.js';

const HTML = 'text/html; charset=utf-8';

/** Messages for the `done` query parameter that a successful write redirects with. */
const DONE_MESSAGES: Record<string, string> = {
  created: 'The draft is saved and pinned to the current version of the object. Submit it for review when it is ready.',
  saved: 'Your changes are saved; the take is a draft.',
  submitted: 'The take is submitted for review.',
  withdrawn: 'The take is withdrawn. Readers no longer see it.',
  repinned: 'The take is pinned to the current version of the object.',
  published: 'The take is published: readers see it on the object page.',
};

type FormBody = Record<string, string | string[] | undefined>;
type TakeParams = { Params: { id: string } };

function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as FormBody)[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseTakeId(raw: string): number {
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new NotFoundError(`There is no take ${raw}: take IDs are positive whole numbers.`);
  return Number(raw);
}

function parseRevision(body: unknown): number {
  const raw = formField(body, 'revision') ?? '';
  if (!/^\d{1,10}$/.test(raw)) throw new BadRequestError(`The form sent an invalid revision "${raw}": reload the take and try again.`);
  return Number(raw);
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

/** Normalizes an ATT&CK ID as typed, `t1059/001` or `T1059.001`, to `T1059.001`. */
function normalizeAttackId(text: string): string {
  return text.trim().toUpperCase().replace('/', '.');
}

export function registerTakeRoutes(app: FastifyInstance, store: Store, config: Config): void {
  const service = new TakeService(store);
  const signedIn = { preHandler: requireSignIn };

  /** Loads the page context of the version whose definition the take pages show: the pinned one, else the current one. */
  const definitionContext = async (snapshot: ObjectSnapshot | undefined): Promise<PageContext | undefined> =>
    snapshot ? loadPageContext(store, config, snapshot, true) : undefined;

  const sendEditor = async (request: FastifyRequest, reply: FastifyReply, view: TakeView, body: string, messages: PageMessages, status = 200) => {
    const principal = requirePrincipal(request);
    const markup = renderEditorPage({
      config,
      csrf: csrfField(request),
      take: view.take,
      pinned: view.pinned,
      current: view.current,
      definition: await definitionContext(view.pinned ?? view.current),
      body,
      messages,
      canReview: mayPerform(principal.role, 'take.review'),
    });
    return sendPage(reply, markup, status);
  };

  const sendNewEditor = async (request: FastifyRequest, reply: FastifyReply, stixId: string, body: string, messages: PageMessages, status = 200) => {
    const current = isStixId(stixId) ? await store.currentSnapshot(stixId) : undefined;
    if (!current) throw new NotFoundError(`No imported release contains an object with STIX ID "${stixId}". Open the take editor from an object's page.`);
    const markup = renderEditorPage({
      config,
      csrf: csrfField(request),
      take: undefined,
      pinned: current,
      current,
      definition: await definitionContext(current),
      body,
      messages,
      canReview: false,
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
    const stixId = (request.query.object ?? '').trim();
    if (!isStixId(stixId)) {
      throw new BadRequestError(`"${stixId}" is not a STIX ID. Open the take editor from an object's page, or give ?object=<type>--<UUID>.`);
    }
    const open = await service.open(stixId);
    if (open) return reply.redirect(takePath(open.id), 303);
    return sendNewEditor(request, reply, stixId, '', {});
  });

  app.post(TAKES_PATH, signedIn, async (request, reply) => {
    const stixId = formField(request.body, 'object') ?? '';
    const body = formField(request.body, 'body') ?? '';
    if (formField(request.body, 'intent') === 'preview') return sendNewEditor(request, reply, stixId, body, {});
    try {
      const take = await service.create(originOf(request), stixId, body);
      return reply.redirect(`${takePath(take.id)}?done=created`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error instanceof NotFoundError) throw error;
      logRejected(request, error, 'create');
      return sendNewEditor(request, reply, stixId, body, { error: error.message }, error.status);
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
    return sendEditor(request, reply, view, view.take.body, doneMessages(request.query));
  });

  app.post<TakeParams>(`${TAKES_PATH}/:id`, signedIn, async (request, reply) => {
    const id = parseTakeId(request.params.id);
    const body = formField(request.body, 'body') ?? '';
    if (formField(request.body, 'intent') === 'preview') return sendEditor(request, reply, await service.view(id), body, {});
    try {
      await service.edit(originOf(request), id, parseRevision(request.body), body);
      return reply.redirect(`${takePath(id)}?done=saved`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error instanceof NotFoundError) throw error;
      logRejected(request, error, 'edit', id);
      // The form comes back with the author's text, and with the take as it is now, so a retry names the current revision.
      return sendEditor(request, reply, await service.view(id), body, { error: error.message }, error.status);
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
        return sendEditor(request, reply, view, view.take.body, { error: error.message }, error.status);
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

  app.post<TakeParams>(`${TAKES_PATH}/:id/validate`, signedIn, async (request, reply) => {
    const id = parseTakeId(request.params.id);
    const check = await service.validate(originOf(request), id);
    const verdict = check.publishable ? 'the take can be published' : 'the take cannot be published yet';
    return sendReview(request, reply, await service.view(id), check, { notice: `The check is recorded in the audit log: ${verdict}.` });
  });

  /** Registers a review action; a failure other than a missing role renders the review page with the reason. */
  const reviewAction = (action: 'repin' | 'publish', done: string, confirmation?: string) => {
    app.post<TakeParams>(`${TAKES_PATH}/:id/${action}`, signedIn, async (request, reply) => {
      const id = parseTakeId(request.params.id);
      try {
        if (confirmation !== undefined && formField(request.body, 'confirm') !== 'yes') throw new BadRequestError(confirmation);
        await service[action](originOf(request), id, parseRevision(request.body));
        return reply.redirect(`${reviewPath(id)}?done=${done}`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error instanceof NotFoundError || error instanceof ForbiddenError) throw error;
        logRejected(request, error, action, id);
        const view = await service.view(id);
        const check = error instanceof NotPublishableError ? error.check : checkPublishable(view);
        return sendReview(request, reply, view, check, { error: error.message }, error.status);
      }
    });
  };
  reviewAction('repin', 'repinned', 'Tick "I have read what changed" before re-pinning: re-pinning says the take holds for the current version.');
  reviewAction('publish', 'published');
}
