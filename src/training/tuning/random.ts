// The tuning engine draws from training/'s generator (one stream per seed and trial number).
export { createRandom, type Random } from '../random.js';
