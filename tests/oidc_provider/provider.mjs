// Local OpenID Connect provider for Protokoll's integration tests. NOT for production.
// Built on the npm package oidc-provider (panva); started by the fixture in tests/oidc.py, which
// runs `npm ci` here first. Its login form lets a test pick the user, the acr and how far back
// auth_time lies, so that the relying party's own checks (acr, freshness, person) can be exercised.
//
// Env: PORT (0 = pick a free port), OIDC_CLIENT_JSON or OIDC_CLIENT_FILE (one client object or an
// array), OIDC_ACR_VALUES (space separated, weakest first), OIDC_TEST_PASSWORD (default "test"),
// OIDC_TS_OFFSET_SECONDS (default backdating of auth_time), OIDC_CONFORM_ID_TOKEN_CLAIMS=1 (only
// sub/acr/amr/auth_time in the ID token), OIDC_JWKS_FILE (private JWKS; otherwise a fresh RSA key),
// OIDC_COOKIE_KEYS (comma separated; otherwise random).
// Prints "READY <issuer>" on stdout once it accepts connections.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const env = process.env;
const HOST = '127.0.0.1';
const ACR_VALUES = (env.OIDC_ACR_VALUES || 'urn:test:loa:low urn:test:loa:high').split(/[\s,]+/).filter(Boolean);
const STRONGEST_ACR = ACR_VALUES[ACR_VALUES.length - 1];
const PASSWORD = env.OIDC_TEST_PASSWORD ?? 'test';
const DEFAULT_TS_OFFSET = Number.parseInt(env.OIDC_TS_OFFSET_SECONDS || '0', 10);

// The Swedish OIDC profile's claim for a personnummer, released with its scope: Protokoll must
// never store or print it in clear.
const PNR_SCOPE = 'https://id.oidc.se/scope/naturalPersonNumber';
const PNR_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber';
const USERS = {
  anna: {
    sub: '5b0e6c1a-7d3f-4c61-9a0e-0a11a0000001', name: 'Anna Andersson', given_name: 'Anna',
    family_name: 'Andersson', email: 'anna@example.test', email_verified: true,
    [PNR_CLAIM]: '197001022383',
  },
  bertil: {
    sub: '5b0e6c1a-7d3f-4c61-9a0e-0a11a0000002', name: 'Bertil Berg', given_name: 'Bertil',
    family_name: 'Berg', email: 'bertil@example.test', email_verified: true,
    [PNR_CLAIM]: '198112189876',
  },
};
const userBySub = (sub) => Object.values(USERS).find((u) => u.sub === sub);

function loadClients() {
  let raw = env.OIDC_CLIENT_JSON;
  if (!raw && env.OIDC_CLIENT_FILE) raw = fs.readFileSync(env.OIDC_CLIENT_FILE, 'utf8');
  const list = raw ? [JSON.parse(raw)].flat() : [{
    client_id: 'protokoll',
    client_secret: 'protokoll-test-secret',
    redirect_uris: ['http://127.0.0.1:8000/oidc/callback/'],
    post_logout_redirect_uris: ['http://127.0.0.1:8000/logga-in/'],
  }];
  return list.map((c) => ({
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    response_types: ['code'],
    grant_types: ['authorization_code'],
    ...c,
  }));
}

function loadJwks() {
  if (env.OIDC_JWKS_FILE) return JSON.parse(fs.readFileSync(env.OIDC_JWKS_FILE, 'utf8'));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: `test-${crypto.randomUUID()}`, use: 'sig', alg: 'RS256' }] };
}

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,">
<title>${esc(title)}</title></head><body><main>${body}</main></body></html>`;

// Grant every requested OIDC scope and claim, so the flow never stops at a consent screen.
async function grantAll(ctx, grant) {
  grant ??= new ctx.oidc.provider.Grant({
    accountId: ctx.oidc.session.accountId, clientId: ctx.oidc.client.clientId,
  });
  grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
  const claims = [...ctx.oidc.requestParamClaims];
  if (claims.length) grant.addOIDCClaims(claims);
  await grant.save();
  return grant;
}

const configuration = {
  clients: loadClients(),
  jwks: loadJwks(),
  cookies: { keys: (env.OIDC_COOKIE_KEYS || crypto.randomBytes(32).toString('hex')).split(',') },
  acrValues: ACR_VALUES,
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email', 'email_verified'],
    [PNR_SCOPE]: [PNR_CLAIM],
    acr: null, amr: null, auth_time: null, iss: null, sid: null,
  },
  // default here: scope-requested claims (profile, email) are also put into the ID token
  conformIdTokenClaims: env.OIDC_CONFORM_ID_TOKEN_CLAIMS === '1',
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    userinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out', `<h1>Sign out of the test identity provider?</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '<h1>You are signed out of the test identity provider</h1>');
      },
    },
  },
  async findAccount(ctx, sub) {
    const user = userBySub(sub);
    if (!user) return undefined;
    return { accountId: sub, async claims() { return { ...user }; } };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    return grantAll(ctx, existing);
  },
};

function loginPage(details, { error, username } = {}) {
  const { uid, params } = details;
  const wanted = String(params.acr_values || '').split(' ').find((v) => ACR_VALUES.includes(v));
  const options = ACR_VALUES.map((v) => `<option value="${esc(v)}"${v === wanted ? ' selected' : ''}>${esc(v)}</option>`).join('');
  return page('Sign in', `<h1>Sign in to the test identity provider</h1>
<p>Client <code>${esc(params.client_id)}</code> asks you to sign in.
Requested acr_values: <code>${esc(params.acr_values || '(none)')}</code>.
Test users: ${Object.keys(USERS).map((u) => `<code>${esc(u)}</code>`).join(', ')}.</p>
${error ? `<p role="alert" id="error">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<p><label for="username">Username</label>
<input id="username" name="username" required autofocus value="${esc(username ?? params.login_hint)}"></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" required></p>
<p><label for="acr">Authentication level (acr)</label>
<select id="acr" name="acr">${options}</select></p>
<p><label for="ts_offset_seconds">Backdate authentication time by (seconds)</label>
<input id="ts_offset_seconds" name="ts_offset_seconds" type="number" min="0" step="1" value="${DEFAULT_TS_OFFSET}"></p>
<p><button type="submit">Sign in</button></p>
</form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit">Cancel</button></form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 65536) throw new Error('form body too large');
  }
  return Object.fromEntries(new URLSearchParams(body));
}

// Koa middleware for /interaction/:uid[/login|/abort]; runs before oidc-provider's own routes.
function interactions(provider) {
  // merge=true keeps an earlier login result (needed for prompt=login consent), false replaces it
  const finish = async (ctx, result, merge = false) => {
    const to = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
    ctx.status = 303;
    ctx.redirect(to);
  };
  return async (ctx, next) => {
    const m = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(ctx.path);
    if (!m) return next();
    ctx.set('cache-control', 'no-store');
    ctx.type = 'html';
    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid !== m[1]) throw new Error('interaction uid mismatch');
      const action = m[2];
      if (!action && ctx.method === 'GET') {
        if (details.prompt.name === 'consent') { // only when prompt=consent is asked for: no screen
          const grant = (details.grantId && await provider.Grant.find(details.grantId))
            || new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
          grant.addOIDCScope(details.params.scope || 'openid');
          const claims = details.prompt.details.missingOIDCClaims;
          if (claims?.length) grant.addOIDCClaims(claims);
          return await finish(ctx, { consent: { grantId: await grant.save() } }, true);
        }
        ctx.body = loginPage(details);
        return undefined;
      }
      if (ctx.method !== 'POST') { ctx.status = 405; ctx.body = page('Error', '<p>Method not allowed</p>'); return undefined; }
      const form = await readForm(ctx.req);
      if (action === 'abort') {
        return await finish(ctx, { error: 'access_denied', error_description: 'End-User aborted interaction' });
      }
      const user = USERS[String(form.username || '').trim().toLowerCase()];
      const offset = Number.parseInt(form.ts_offset_seconds || '0', 10);
      let error;
      if (details.prompt.name !== 'login') error = `Unexpected prompt ${details.prompt.name}`;
      else if (!user || form.password !== PASSWORD) error = 'Unknown user or wrong password.';
      else if (!ACR_VALUES.includes(form.acr)) error = 'Unsupported authentication level.';
      else if (!Number.isInteger(offset) || offset < 0) error = 'Backdating must be a whole number >= 0.';
      if (error) {
        ctx.status = 400;
        ctx.body = loginPage(details, { error, username: form.username });
        return undefined;
      }
      const amr = form.acr === STRONGEST_ACR && ACR_VALUES.length > 1 ? ['pwd', 'otp'] : ['pwd'];
      const ts = Math.floor(Date.now() / 1000) - offset;
      return await finish(ctx, { login: { accountId: user.sub, acr: form.acr, amr, ts, remember: true } });
    } catch (err) {
      console.error(`interaction error: ${err.name}: ${err.message}`);
      ctx.status = 400;
      ctx.body = page('Error', `<h1>Sign-in error</h1><p role="alert">${esc(err.name)}: ${esc(err.message)}</p>`);
      return undefined;
    }
  };
}

const server = http.createServer();
server.listen(Number.parseInt(env.PORT || '0', 10), HOST, async () => {
  const issuer = `http://${HOST}:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  try { // static clients are only validated when first used: fail fast here instead
    for (const { client_id: id } of configuration.clients) {
      if (!await provider.Client.find(id)) throw new Error(`client ${id} not loaded`);
    }
  } catch (err) {
    console.error(`invalid client configuration: ${err.message} ${err.error_description ?? ''}`);
    process.exit(2);
  }
  provider.use(interactions(provider));
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error', 'userinfo.error']) {
    provider.on(event, (ctx, err) => console.error(`${event}: ${err.name}: ${err.message} ${err.error_description ?? ''}`));
  }
  server.on('request', provider.callback());
  console.log(`READY ${issuer}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { server.close(); server.closeAllConnections(); process.exit(0); });
}
