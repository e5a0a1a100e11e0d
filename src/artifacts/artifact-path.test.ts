import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../core/index.js';
import { validateArtifactPath, validateArtifactPrefix } from './artifact-path.js';

function rejection(fn: () => unknown): CyclopsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    return err as CyclopsError;
  }
  throw new Error('expected a rejection');
}

describe('validateArtifactPath', () => {
  it('normalizes doubled slashes, dot segments and a trailing slash', () => {
    expect(validateArtifactPath('a//b')).toBe('a/b');
    expect(validateArtifactPath('./a/./b/')).toBe('a/b');
    expect(validateArtifactPath('model/model.json')).toBe('model/model.json');
    expect(validateArtifactPath('a..b/c.')).toBe('a..b/c.');
  });

  it.each([
    ['..', "'..' segment"],
    ['a/../../etc/passwd', "'..' segment"],
    ['a/..', "'..' segment"],
    ['/etc/passwd', 'is absolute'],
    ['\\\\server\\share', 'backslash'],
    ['a\\..\\b', 'backslash'],
    ['C:/Windows', 'drive letter'],
    ['c:evil', 'drive letter'],
    ['a\0b', 'NUL byte'],
    ['', 'is empty'],
    ['./', 'is empty'],
    ['//', 'is absolute'],
    [`${'a/'.repeat(512)}b`, 'longer than 1024'],
  ])('rejects %j', (path, why) => {
    const err = rejection(() => validateArtifactPath(path));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain(why);
    expect(err.details).toEqual({ field: 'path' });
  });

  it('names the offending path and the field in the error', () => {
    const err = rejection(() => validateArtifactPath('x/../y', 'artifact_path'));
    expect(err.message).toContain("'x/../y'");
    expect(err.message).toContain('artifact_path');
    expect(err.details).toEqual({ field: 'artifact_path' });
  });

  it('accepts exactly 1024 characters', () => {
    expect(validateArtifactPath('a'.repeat(1024))).toHaveLength(1024);
  });
});

describe('validateArtifactPrefix', () => {
  it('allows the root and applies the same rules otherwise', () => {
    expect(validateArtifactPrefix('')).toBe('');
    expect(validateArtifactPrefix('./')).toBe('');
    expect(validateArtifactPrefix('a/b/')).toBe('a/b');
    expect(rejection(() => validateArtifactPrefix('../x')).details).toEqual({ field: 'prefix' });
  });
});
