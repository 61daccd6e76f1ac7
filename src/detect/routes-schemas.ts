/** JSON schemas of the detect routes (request side; closed objects except free-form event and match bodies). */

const severity = { type: 'string', enum: ['info', 'low', 'medium', 'high', 'critical'] } as const;
const uuidParam = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const threshold = {
  type: 'object', additionalProperties: false, minProperties: 1, maxProperties: 1,
  properties: { gte: { type: 'integer', minimum: 0 }, gt: { type: 'integer', minimum: 0 } },
} as const;
/** Field conditions: values, lists, or {startsWith|exists|not}; checked in depth by the rule validator. */
const match = { type: 'object', minProperties: 1, maxProperties: 20, additionalProperties: true } as const;

export const ruleBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{1,63}$' },
    title: { type: 'string', maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    kind: { type: 'string', enum: ['event_count', 'value_count', 'sequence'] },
    severity,
    enabled: { type: 'boolean' },
    builtin: { type: 'boolean' },
    window: { type: 'integer', minimum: 1, maximum: 604800 },
    group_by: { type: 'array', maxItems: 4, items: { type: 'string', minLength: 1, maxLength: 100 } },
    group_mode: { type: 'string', enum: ['all', 'each'] },
    match,
    field: { type: 'string', minLength: 1, maxLength: 100 },
    condition: threshold,
    steps: {
      type: 'array', minItems: 2, maxItems: 2,
      items: { type: 'object', additionalProperties: false, required: ['match'],
        properties: { match, condition: threshold, within: { type: 'integer', minimum: 1, maximum: 604800 } } },
    },
  },
  required: ['kind', 'severity', 'window'],
} as const;

/** An incoming event: OCSF or the simple form; unknown fields are kept as `unmapped`. */
export const eventItem = {
  type: 'object',
  additionalProperties: true,
  maxProperties: 64,
  properties: {
    type: { type: 'string', maxLength: 100 },
    time: { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'number' }] },
    class_uid: { type: 'integer' },
    user: { anyOf: [{ type: 'string', maxLength: 256 }, { type: 'object' }] },
    src_ip: { type: 'string', maxLength: 64 },
    outcome: { type: 'string', maxLength: 20 },
    status: { type: 'string', maxLength: 20 },
    message: { type: 'string', maxLength: 4096 },
  },
} as const;

export const schemas = {
  ingest: { body: { type: 'array', items: eventItem } },
  ruleId: { params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } },
  ruleTest: {
    body: { type: 'object', additionalProperties: false, required: ['rule', 'events'],
      properties: { rule: { ...ruleBody, required: ['kind', 'severity', 'window'] }, events: { type: 'array', maxItems: 10000, items: eventItem } } },
  },
  alertList: {
    querystring: {
      type: 'object', additionalProperties: false,
      properties: {
        status: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] }, rule: { type: 'string', maxLength: 64 }, severity,
        since: { type: 'string', format: 'date-time' }, until: { type: 'string', format: 'date-time' }, before: { type: 'string', format: 'date-time' },
        user: { type: 'string', maxLength: 256 }, src_ip: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
  },
  uuidParam: { params: uuidParam },
  note: {
    params: uuidParam,
    body: { anyOf: [{ type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 2000 } } }, { type: 'null' }] },
  },
  channelCreate: {
    body: {
      type: 'object', additionalProperties: false, required: ['name', 'kind'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 }, kind: { type: 'string', enum: ['email', 'slack', 'sms', 'webhook'] },
        min_severity: severity, enabled: { type: 'boolean' }, secret: { type: 'string', minLength: 1, maxLength: 2048 },
        config: { type: 'object', maxProperties: 20, additionalProperties: true },
      },
    },
  },
  channelPatch: {
    params: uuidParam,
    body: {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 }, min_severity: severity, enabled: { type: 'boolean' },
        secret: { type: 'string', minLength: 1, maxLength: 2048 }, config: { type: 'object', maxProperties: 20, additionalProperties: true },
      },
    },
  },
  deliveryList: {
    querystring: {
      type: 'object', additionalProperties: false,
      properties: { alert_id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
        limit: { type: 'integer', minimum: 1, maximum: 1000 } },
    },
  },
} as const;
