import { errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { isCustomerRole } from '../../auth/principal.js';
import type { CustomersRepository } from '../../customers/repository.js';
import type { UsersService } from '../../customers/users-service.js';
import { forbidden, notFound, Problem, serviceUnavailable, unauthorized } from '../../shared/problem.js';
import type { Clock } from '../../shared/time.js';
import type { AuthService } from '../../auth/service.js';

/** A signed token lives at most this long: it travels in a URL, so it must be spent quickly. */
export const EMBED_TOKEN_MAX_AGE_S = 10 * 60;
/** The widget's session: a working day inside the vendor's app, then a fresh token. */
export const EMBED_SESSION_TTL_MS = 8 * 3600_000;

const claimsSchema = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  organizationId: z.string().uuid().optional(),
  locale: z.enum(['en', 'fr']).optional(),
});
export type EmbedClaims = z.infer<typeof claimsSchema>;

export interface EmbedServiceDeps {
  /** The secret shared with the vendor's server; absent means the widget is not set up. */
  secret: string | undefined;
  auth: AuthService;
  users: UsersService;
  customers: CustomersRepository;
  clock: Clock;
}

/**
 * The in-app support button's sign-in: the vendor's server signs who the current user is (HS256
 * JWT with the shared secret), and Accord opens a session for that customer. A user the desk does
 * not know yet becomes an authorized user (member) of the organization the token names, or of the
 * organization that owns the email's domain.
 */
export class EmbedService {
  private readonly key: Uint8Array | undefined;

  constructor(private readonly deps: EmbedServiceDeps) {
    this.key = deps.secret ? new TextEncoder().encode(deps.secret) : undefined;
  }

  get enabled() {
    return this.key !== undefined;
  }

  async signIn(token: string) {
    if (!this.key) throw serviceUnavailable('The support widget is not set up on this desk (EMBED_SECRET).');
    const user = await this.identify(token);
    const session = await this.deps.auth.openSession(user, EMBED_SESSION_TTL_MS);
    return { sessionToken: session.secret, expiresAt: session.expiresAt, principal: session.principal };
  }

  /** The customer a vendor's signed token names (created as an authorized user on a first visit). */
  async identify(token: string) {
    if (!this.key) throw serviceUnavailable('The support widget is not set up on this desk (EMBED_SECRET).');
    return this.resolveUser(await this.verify(token, this.key));
  }

  private async verify(token: string, key: Uint8Array): Promise<EmbedClaims> {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: EMBED_TOKEN_MAX_AGE_S,
        currentDate: new Date(this.deps.clock()),
        clockTolerance: 30,
      });
      const parsed = claimsSchema.safeParse(payload);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
        throw unauthorized(`The support token's claims are incomplete or invalid (${fields}).`);
      }
      return parsed.data;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw unauthorized('The support token has expired; the vendor app must issue a new one.');
      if (error instanceof joseErrors.JOSEError)
        throw unauthorized(
          'The support token is not valid: it is malformed or not signed with this desk\u2019s secret.',
        );
      throw error;
    }
  }

  private async resolveUser(claims: EmbedClaims) {
    const { customers, users } = this.deps;
    const existing = await customers.findUserByEmail(claims.email);
    if (existing) {
      if (existing.deactivated_at !== null) throw forbidden('This user\u2019s access to support has ended.');
      if (!isCustomerRole(existing.role))
        throw forbidden('Staff sign in to the desk itself, not the widget.');
      if (claims.organizationId && claims.organizationId !== existing.organization_id)
        throw forbidden('The token names another organization than the user\u2019s.');
      return existing;
    }
    const organizationId = claims.organizationId ?? (await this.organizationOfDomain(claims.email));
    try {
      await users.create(null, {
        email: claims.email,
        name: claims.name,
        role: 'member',
        organizationId,
        ...(claims.locale ? { locale: claims.locale } : {}),
      });
    } catch (error) {
      // Two first visits at once: the other request created the user; use it.
      if (!(error instanceof Problem && error.status === 409)) throw error;
    }
    return (await customers.findUserByEmail(claims.email))!;
  }

  private async organizationOfDomain(email: string): Promise<string> {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    const [owner] = await this.deps.customers.findDomainOwners([domain]);
    if (!owner) throw notFound(`An organization for ${domain} (name one with the organizationId claim)`);
    return owner.organization_id;
  }
}
