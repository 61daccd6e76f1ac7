import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { redactString } from '../audit/redact.js';
import { httpError } from './errors.js';
import { installProblemHandlers } from './problem.js';
import type { RateCounter } from './ratelimit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'strict' attaches the stricter per-IP limit (login, MFA); 'none' exempts the route. */
    rateLimit?: 'strict' | 'none';
  }
}

export interface HttpDeps {
  config: Config;
  log: Logger;
  /** Exact shared counter (strict limit) and a batched one (general limit). */
  counters: { strict: RateCounter; general: RateCounter };
  version: string;
}

/** Fastify with Warden's edge: problem details, headers, CORS, limits, timeouts, OpenAPI, one log line per request. */
export async function createHttp(deps: HttpDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const tls = config.tlsCert && config.tlsKey
    ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : null;
  const app = Fastify({
    loggerInstance: deps.log,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'req_id' }),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    connectionTimeout: 30_000,
    keepAliveTimeout: 5_000,
    requestTimeout: 30_000,
    genReqId: () => randomUUID(),
    ...(tls ? { https: tls } : {}),
  }) as unknown as FastifyInstance;
  app.server.headersTimeout = 10_000;
  // Bodies are validated strictly (no type coercion, unknown fields refused); query strings,
  // params and headers arrive as text, so those are coerced.
  const strictAjv = newAjv(false);
  const textAjv = newAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv : textAjv).compile(schema));

  installProblemHandlers(app);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"], 'font-src': ["'self'", 'data:'],
        'object-src': ["'none'"], 'base-uri': ["'self'"], 'form-action': ["'self'"], 'frame-ancestors': ["'none'"],
      },
    },
    hsts: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cors, { origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: true });
  await app.register(cookie);

  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    if (req.routeOptions.config?.rateLimit === 'none') return;
    const { count, resetAt } = await deps.counters.general.hit(`ip:${req.ip}`, config.rateLimit.windowMs);
    if (count > config.rateLimit.max) {
      throw httpError('RATE_LIMITED', 'Too many requests from this address; retry later',
        { retry_after: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) });
    }
  });
  app.addHook('preHandler', async (req) => {
    if (req.routeOptions.config?.rateLimit !== 'strict') return;
    const { count, resetAt } = await deps.counters.strict.hit(`strict:${req.routeOptions.url}:${req.ip}`, config.rateLimit.windowMs);
    if (count > config.rateLimit.strictMax) {
      throw httpError('RATE_LIMITED', 'Too many attempts from this address; retry later',
        { retry_after: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({
      method: req.method, url: redactString(req.url.replace(/([?&](token|code|key|secret|password)=)[^&]*/gi, '$1[REDACTED]')),
      status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: req.ip,
      principal: req.principal ? `${req.principal.type}:${req.principal.id}` : undefined,
    }, 'request');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Warden', version: deps.version, description: 'Self-hosted security and compliance core' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: false } });
  return app;
}

function newAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ removeAdditional: false, coerceTypes, useDefaults: true, allErrors: false, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}
