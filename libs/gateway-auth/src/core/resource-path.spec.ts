import { canonicalResourcePath, RouteTemplates } from './resource-path';

const templates = new RouteTemplates();
const matchesRouteTemplate = (path: string, template: string): boolean | undefined =>
  templates.matches(path, template);

describe('the authorized path agrees with the routed path', () => {
  it('decodes escapes of unreserved characters only (RFC 3986 §6.2.2.2)', () => {
    expect(canonicalResourcePath('/%61dmin')).toBe('/admin');
    expect(canonicalResourcePath('/adm%69n/%7Euser/a%2Db%2eC%5F')).toBe('/admin/~user/a-b.C_');
    expect(canonicalResourcePath('/a%2Fb/%40c/%20d/%25')).toBe('/a%2Fb/%40c/%20d/%25');
    expect(canonicalResourcePath('/plain/path')).toBe('/plain/path');
  });

  it('matches templates exactly and case-sensitively', () => {
    expect(matchesRouteTemplate('/admin', '/admin')).toBe(true);
    expect(matchesRouteTemplate('/ADMIN', '/admin')).toBe(false);
    expect(matchesRouteTemplate('/Admin', '/admin')).toBe(false);
    expect(matchesRouteTemplate('/admin/', '/admin')).toBe(false);
    expect(matchesRouteTemplate('/pets/42', '/pets/:id')).toBe(true);
    expect(matchesRouteTemplate('/pets/', '/pets/:id')).toBe(false);
    expect(matchesRouteTemplate('/PETS/42', '/pets/:id')).toBe(false);
    expect(matchesRouteTemplate('/pets/42/x', '/pets/:id')).toBe(false);
    expect(matchesRouteTemplate('/', '/')).toBe(true);
  });

  it('compares literal segments after percent-decoding', () => {
    expect(matchesRouteTemplate('/test/%40connections', '/test/@connections')).toBe(true);
    expect(matchesRouteTemplate('/%61dmin', '/admin')).toBe(true);
    expect(matchesRouteTemplate('/%E0%A4%A', '/x')).toBe(false);
  });

  it('handles splats and leaves unmodelled syntax to the framework', () => {
    expect(matchesRouteTemplate('/files/a/b', '/files/*')).toBe(true);
    expect(matchesRouteTemplate('/files/a/b', '/files/*path')).toBe(true);
    expect(matchesRouteTemplate('/FILES/a', '/files/*')).toBe(false);
    expect(matchesRouteTemplate('/a', '/a{/:b}')).toBeUndefined();
    expect(matchesRouteTemplate('/a/1', '/a/:id(\\d+)')).toBeUndefined();
  });
});
