import { rateLimitKey } from './client-rate-limiter';

describe('rate limit key', () => {
  it('counts a verified user wherever they connect from, an anonymous caller by address', () => {
    expect(rateLimitKey({ userId: 'u-1', clientIp: '10.0.0.1' })).toBe('user:u-1');
    expect(rateLimitKey({ userId: 'u-1', clientIp: '10.0.0.2' })).toBe('user:u-1');
    expect(rateLimitKey({ userId: null, clientIp: '10.0.0.1' })).toBe('ip:10.0.0.1');
    expect(rateLimitKey({ clientIp: '::1' })).toBe('ip:::1');
  });
});
