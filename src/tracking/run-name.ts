import { randomInt } from 'node:crypto';

// MLflow names unnamed runs "<adjective>-<noun>-<n>"; users recognise them, so we do the same.
const ADJECTIVES = [
  'bold',
  'brave',
  'bright',
  'calm',
  'clever',
  'crisp',
  'eager',
  'fast',
  'gentle',
  'keen',
  'lucky',
  'merry',
  'nimble',
  'quiet',
  'rare',
  'sharp',
  'sleek',
  'smart',
  'steady',
  'swift',
  'wise',
  'zesty',
];
const NOUNS = [
  'badger',
  'bee',
  'crane',
  'deer',
  'eagle',
  'falcon',
  'fox',
  'hare',
  'heron',
  'lark',
  'lynx',
  'mole',
  'newt',
  'otter',
  'owl',
  'panda',
  'robin',
  'seal',
  'shark',
  'snail',
  'swan',
  'wolf',
  'wren',
];

export function randomRunName(): string {
  const adjective = ADJECTIVES[randomInt(ADJECTIVES.length)];
  const noun = NOUNS[randomInt(NOUNS.length)];
  return `${adjective}-${noun}-${randomInt(1000)}`;
}
