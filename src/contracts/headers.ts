/** Headers that carry the RequestContext until authentication arrives. */
export const USER_HEADER = 'x-cyclops-user';
export const PROJECT_HEADER = 'x-cyclops-project';
export const API_PREFIX = '/api/v1';
