import { describe, expect, it } from 'vitest';
import { imageNameProblem } from '../../stacks/catalogue/ims-rules.js';

describe('IMS image naming rules', () => {
  it.each([
    ['Nginx Web Server-V1.0', undefined],
    ['a', undefined],
    ['x'.repeat(128), undefined],
    ['', 'must be 1 to 128 characters, found 0'],
    ['x'.repeat(129), 'must be 1 to 128 characters, found 129'],
    ['Nginx Web Server ', 'must not start or end with a space'],
    [' Nginx', 'must not start or end with a space'],
    ['网页服务器', `may contain only letters, digits, space, '-', '.' and '_', found "网页服务器"`],
  ])('%j -> %s', (name, problem) => {
    expect(imageNameProblem(name)).toBe(problem);
  });
});
