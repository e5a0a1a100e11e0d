/**
 * Every service call takes a RequestContext, so authentication and projects plug in without a retrofit.
 * Until authentication lands the actor is named by a header (or the OS user on the CLI).
 */
export interface Actor {
  /** Stable user id from the users table. */
  id: number;
  name: string;
}

export interface RequestContext {
  actor: Actor;
  projectId: string;
}

export const DEFAULT_PROJECT_ID = 'default';
export const SYSTEM_ACTOR_NAME = 'system';

export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
export const PROJECT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
