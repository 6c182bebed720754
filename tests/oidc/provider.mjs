// A real OpenID Connect provider for the tests (the `oidc-provider` package), on loopback.
// Usage: node tests/oidc/provider.mjs <port> '<json: {"clients": [...], "accounts": {...}}>'
// Any login on its development sign-in form signs in as that account id; an account's claims
// come from "accounts" (email defaults to the login itself, email_verified to true).
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const account = (config.accounts || {})[id] || {};
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: account.email === undefined ? id : account.email,
          email_verified: account.email_verified === undefined ? true : account.email_verified,
          name: account.name || id,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  ttl: {
    IdToken: (ctx, token, client) => (client && client.clientId === 'short-lived' ? 1 : 600),
    AccessToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 600,
    Grant: 600,
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['only-for-tests'] },
});
provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
