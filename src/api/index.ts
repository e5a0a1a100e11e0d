export { type ApiDeps, type ApiServer, buildApiServer } from './server.js';
