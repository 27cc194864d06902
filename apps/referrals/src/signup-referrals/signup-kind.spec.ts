import { signupKind } from './signup-kind';

describe('signupKind', () => {
  it.each<[string[], string | null]>([
    [['TALENT'], 'TALENT'],
    [['CLIENT'], 'CLIENT'],
    [['TALENT', 'CLIENT'], 'TALENT'],
    [['CLIENT', 'TALENT', 'CONNECTOR'], 'TALENT'],
    [['CLIENT', 'CONNECTOR'], 'CLIENT'],
    [['CONNECTOR'], null],
  ])('roles %p give kind %p', (roles, kind) => {
    expect(signupKind(roles as never)).toBe(kind);
  });
});
