/** JSON schemas of identity's HTTP edge (requests closed to unknown fields). */
export const emailSchema = { type: 'string', minLength: 3, maxLength: 254 } as const;
export const passwordSchema = { type: 'string', minLength: 1, maxLength: 1024 } as const;
export const rolesSchema = { type: 'array', maxItems: 32, items: { type: 'string', minLength: 1, maxLength: 64 } } as const;

export const tokenResponse = {
  type: 'object',
  properties: {
    access_token: { type: 'string' }, refresh_token: { type: 'string' }, token_type: { type: 'string' },
    expires_in: { type: 'integer' }, mfa_enrollment_required: { type: 'boolean' },
    mfa_required: { type: 'boolean' }, mfa_token: { type: 'string' }, backup_codes_remaining: { type: 'integer' },
  },
} as const;

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' },
    status: { type: 'string', enum: ['active', 'disabled', 'locked'] }, roles: { type: 'array', items: { type: 'string' } },
    mfa_enabled: { type: 'boolean' }, mfa_required: { type: 'boolean' }, created_at: { type: 'string' },
    last_login_at: { type: ['string', 'null'] }, locked_until: { type: ['string', 'null'] },
  },
} as const;

export const sessionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, created_at: { type: 'string' }, last_seen_at: { type: 'string' }, expires_at: { type: 'string' },
    ip: { type: ['string', 'null'] }, user_agent: { type: ['string', 'null'] }, device: { type: 'string' }, current: { type: 'boolean' },
  },
} as const;

export const apiKeySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, prefix: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } },
    created_by: { type: ['string', 'null'] }, created_at: { type: 'string' }, expires_at: { type: ['string', 'null'] },
    revoked_at: { type: ['string', 'null'] }, last_used_at: { type: ['string', 'null'] }, key: { type: 'string' },
  },
} as const;

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;
