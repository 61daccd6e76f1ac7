/** JSON schemas of access's HTTP edge (requests closed, responses documented for OpenAPI). */

export const resourceSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    type: { type: 'string', maxLength: 40 }, id: { type: 'string', maxLength: 200 },
    domain: { type: 'string', maxLength: 48 },
    classification: { type: 'string', enum: ['public', 'internal', 'confidential', 'restricted'] },
  },
} as const;

export const questionBody = {
  type: 'object', required: ['action'], additionalProperties: false,
  properties: {
    action: { type: 'string', minLength: 1, maxLength: 80, description: 'A permission (admin:users) or read | write | delete | export with a resource' },
    resource: resourceSchema,
    user_id: { type: 'string', maxLength: 200, description: 'Ask about another user (needs admin:users)' },
    roles: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 48 }, description: 'Ask about a set of roles (needs admin:users)' },
    amr: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 20 }, description: 'Session methods for a what-if (otp = MFA)' },
  },
} as const;

export const decisionSchema = {
  type: 'object',
  properties: {
    allowed: { type: 'boolean' }, permission: { type: 'string' }, code: { type: 'string' }, reason: { type: 'string' },
    granted_by: { type: ['string', 'null'] }, roles: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const explainSchema = {
  type: 'object',
  properties: {
    decision: decisionSchema,
    subject: { type: 'object', properties: {
      type: { type: 'string' }, id: { type: ['string', 'null'] }, token_roles: { type: 'array', items: { type: 'string' } },
      current_roles: { type: 'array', items: { type: 'string' } }, roles_source: { type: 'string' }, mfa: { type: 'boolean' } } },
    effective_permissions: { type: 'array', items: { type: 'string' } },
    protection: { type: ['object', 'null'], additionalProperties: true },
    policy_version: { type: 'integer' },
  },
} as const;

export const roleSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' }, description: { type: 'string' }, builtin: { type: 'boolean' }, superuser: { type: 'boolean' },
    permissions: { type: 'array', items: { type: 'string' } },
    created_at: { type: 'string', format: 'date-time' }, updated_at: { type: 'string', format: 'date-time' }, updated_by: { type: ['string', 'null'] },
  },
} as const;
