import Type, { type Static } from 'typebox';

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  project_id: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  entity_type: Type.String(),
  entity_id: Type.String(),
  at: Type.Integer(),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object({
  entity_type: Type.Optional(Type.String({ maxLength: 100 })),
  entity_id: Type.Optional(Type.String({ maxLength: 200 })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  actor: Type.Optional(Type.String({ maxLength: 200 })),
  max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  page_token: Type.Optional(Type.String({ maxLength: 100 })),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditListResponse = Type.Object({
  entries: Type.Array(AuditEntry),
  next_page_token: Type.Optional(Type.String()),
});
export type AuditListResponse = Static<typeof AuditListResponse>;
