import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditListResponse, AuditQuery, ErrorBody } from '../../contracts/index.js';
import { invalid } from '../../core/index.js';
import { type Db, listAudit } from '../../store/index.js';
import { presentAudit, withToken } from '../presenters.js';

export function auditRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'The audit log of the project, newest first',
          querystring: AuditQuery,
          response: { 200: AuditListResponse, 400: ErrorBody },
        },
      },
      async (req) => {
        const q = req.query;
        const limit = q.max_results ?? 100;
        let beforeId: number | undefined;
        if (q.page_token !== undefined) {
          beforeId = Number(q.page_token);
          if (!Number.isSafeInteger(beforeId) || beforeId < 0) {
            throw invalid('page_token: not a page token returned by this server', { field: 'page_token' });
          }
        }
        const rows = await listAudit(db, req.ctx.projectId, {
          entityType: q.entity_type,
          entityId: q.entity_id,
          action: q.action,
          actor: q.actor,
          beforeId,
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        const next = rows.length > limit ? String(page.at(-1)!.id) : undefined;
        return withToken({ entries: page.map(presentAudit) }, next);
      },
    );
  };
}
