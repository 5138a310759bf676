import argon2 from 'argon2';

// OWASP's argon2id floor: m = 19 MiB, t = 2, p = 1.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not tell usernames apart. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword('zhili-no-such-user'));
