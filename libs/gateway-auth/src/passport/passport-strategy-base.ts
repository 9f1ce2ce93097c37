import type { PassportStatic } from 'passport';
import { loadOptionalDependency } from '../core/optional-dependency';

/**
 * passport's `Strategy` base class, loaded from the optional peer dependency `passport` when
 * `api-gateway-auth/passport` is imported (the rest of the package never needs passport).
 * @throws ConfigError naming the package when `passport` is not installed.
 */
export const PassportStrategy: PassportStatic['Strategy'] = loadOptionalDependency<PassportStatic>(
  'passport',
  'api-gateway-auth/passport',
).Strategy;
