import { isPrivateAddress, webhookUrlProblem } from './webhook-address';

describe('webhook addresses (server-side request forgery)', () => {
  it.each([
    '10.1.2.3',
    '127.0.0.1',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it('in production, accepts only https:// to a public host, without credentials or fragment', () => {
    expect(webhookUrlProblem('https://hooks.partner.example/talent', false)).toBeNull();
    expect(webhookUrlProblem('http://hooks.partner.example/talent', false)).toBe('must use https://');
    expect(webhookUrlProblem('https://169.254.169.254/latest/meta-data', false)).toBe('must point to a public address');
    expect(webhookUrlProblem('https://[::1]/x', false)).toBe('must point to a public address');
    expect(webhookUrlProblem('https://localhost:8443/x', false)).toBe('must point to a public address');
    expect(webhookUrlProblem('https://a:b@hooks.partner.example/', false)).toBe('must not carry credentials');
    expect(webhookUrlProblem('https://hooks.partner.example/#x', false)).toBe('must not have a fragment');
    expect(webhookUrlProblem('hooks.partner.example', false)).toBe('must be an absolute URL');
    expect(webhookUrlProblem(`https://hooks.partner.example/${'a'.repeat(2048)}`, false)).toMatch(/at most/);
  });

  it('in development and tests, also accepts http:// and local receivers', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9999/hook', true)).toBeNull();
    expect(webhookUrlProblem('ftp://127.0.0.1/hook', true)).toBe('must use https://');
  });
});
