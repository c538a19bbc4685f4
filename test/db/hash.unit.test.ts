/**
 * The content hash (hash.ts): nodes compare digests to show that their databases agree, and the
 * content cache (contentCache.ts) goes on hashing from a saved state instead of from the start.
 */
import { describe, expect, it } from 'vitest';
import { Hasher } from '../../src/db/hash';

describe('Hasher', () => {
  it('a digest is always 16 hex digits: a lane below 0x10000000 keeps its leading zero', () => {
    // '68' leaves lane a at 0x0de8d5a3, '66' leaves lane b at 0x0504c8da.
    expect(new Hasher().update('68').digest()).toBe('0de8d5a320d8a241');
    expect(new Hasher().update('66').digest()).toBe('1be8ebad0504c8da');
  });

  it('hashing on from a saved state gives what hashing the whole text gives', () => {
    const whole = new Hasher().update('CREATE TABLE t(a)').update('row 1').digest();
    const saved = new Hasher().update('CREATE TABLE t(a)').state();
    expect(Hasher.from(saved).update('row 1').digest()).toBe(whole);
    expect(Hasher.from(saved).digest()).toBe(new Hasher().update('CREATE TABLE t(a)').digest());
    expect(Hasher.from(new Hasher().state()).digest()).toBe(new Hasher().digest());
  });
});
