import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROJECT_HEADER, USER_HEADER } from '../contracts/index.js';
import {
  CyclopsError,
  DEFAULT_PROJECT_ID,
  invalid,
  PROJECT_ID_PATTERN,
  type RequestContext,
  USER_NAME_PATTERN,
} from '../core/index.js';
import { type Db, projectExists, UserDirectory } from '../store/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

/**
 * Builds every request's RequestContext from its headers. Until authentication arrives the actor is
 * whoever the header names ("anonymous" when absent); the project must exist.
 */
export function installRequestContext(app: FastifyInstance, db: Db): void {
  const users = new UserDirectory(db);
  const knownProjects = new Set<string>([DEFAULT_PROJECT_ID]);
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const userName = headerValue(request, USER_HEADER) ?? 'anonymous';
    if (!USER_NAME_PATTERN.test(userName)) {
      throw invalid(`${USER_HEADER}: '${userName.slice(0, 40)}' is not a valid user name`, {
        field: `headers/${USER_HEADER}`,
      });
    }
    const projectId = headerValue(request, PROJECT_HEADER) ?? DEFAULT_PROJECT_ID;
    if (!PROJECT_ID_PATTERN.test(projectId)) {
      throw invalid(`${PROJECT_HEADER}: '${projectId.slice(0, 40)}' is not a valid project id`, {
        field: `headers/${PROJECT_HEADER}`,
      });
    }
    if (!knownProjects.has(projectId)) {
      if (!(await projectExists(db, projectId))) {
        throw new CyclopsError('not_found', `Project '${projectId}' does not exist`, {
          entity: 'Project',
          id: projectId,
        });
      }
      knownProjects.add(projectId);
    }
    request.ctx = { actor: await users.resolve(userName), projectId };
  });
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}
