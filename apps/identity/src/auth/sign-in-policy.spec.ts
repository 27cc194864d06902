import { judgeSignIn, type Counter } from './sign-in-policy';

const counter = (consumed: number, limit: number, msBeforeReset = 60_000): Counter => ({ consumed, limit, msBeforeReset });

describe('judgeSignIn', () => {
  it('evaluates at once while both the account and the address are within their limits', () => {
    expect(judgeSignIn(counter(1, 5), counter(1, 20), 1000)).toEqual({ action: 'evaluate', delayMs: 0 });
    expect(judgeSignIn(counter(5, 5), counter(20, 20), 1000)).toEqual({ action: 'evaluate', delayMs: 0 });
  });

  it('refuses every attempt past the account limit, from any address, and keeps it counted', () => {
    for (const address of [null, counter(1, 20), counter(50, 20)]) {
      expect(judgeSignIn(counter(6, 5, 42_000), address, 1000)).toEqual({ action: 'refuse', retryAfterMs: 42_000, refundAccount: false });
    }
  });

  it('at most `limit` attempts of any concurrent burst are evaluated: the counter is taken before evaluation', () => {
    const verdicts = Array.from({ length: 30 }, (_, i) => judgeSignIn(counter(i + 1, 5), counter(i + 1, 100), 0));
    expect(verdicts.filter((v) => v.action === 'evaluate')).toHaveLength(5);
  });

  it('from a flagged address, evaluates (slowly) an account with no other attempt: a bystander behind the same NAT gets in', () => {
    expect(judgeSignIn(counter(1, 5), counter(21, 20), 1500)).toEqual({ action: 'evaluate', delayMs: 1500 });
  });

  it('from a flagged address, refuses an account that already has attempts, without counting it against the account', () => {
    expect(judgeSignIn(counter(2, 5), counter(21, 20, 9_000), 1500)).toEqual({ action: 'refuse', retryAfterMs: 9_000, refundAccount: true });
  });
});
