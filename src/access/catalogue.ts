/**
 * The access catalogue as data: every permission Warden knows, the guide's five built-in
 * roles, the document domains and the four data classifications with the protection level
 * each one carries. The database is seeded from here; built-in roles always equal this file.
 */

export interface PermissionDef { name: string; description: string }
export interface RoleDef { name: string; description: string; permissions: string[]; builtin: true; superuser?: boolean }

export const DOMAINS = ['compliance', 'marketing', 'feedback'] as const;
export type Domain = (typeof DOMAINS)[number];

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** What each classification level means, concretely, and where it is enforced. */
export interface ProtectionLevel {
  level: 'basic' | 'standard' | 'high' | 'maximum';
  /** Reading needs `read:<domain>` (public: any authenticated principal). */
  readNeedsPermission: boolean;
  /** Body encrypted at rest with field encryption (context `documents:body:<id>`). */
  encryptedAtRest: boolean;
  /** Every action needs a session authenticated with MFA (amr contains otp). */
  mfaRequired: boolean;
  /** Every read of a single document is written to the audit log. */
  auditReads: boolean;
  /** Exports are audited and emitted as `data.export` security events. */
  exportIsDataExport: boolean;
}

export const PROTECTION: Record<Classification, ProtectionLevel> = {
  public: { level: 'basic', readNeedsPermission: false, encryptedAtRest: false, mfaRequired: false, auditReads: false, exportIsDataExport: false },
  internal: { level: 'standard', readNeedsPermission: true, encryptedAtRest: false, mfaRequired: false, auditReads: false, exportIsDataExport: false },
  confidential: { level: 'high', readNeedsPermission: true, encryptedAtRest: true, mfaRequired: false, auditReads: false, exportIsDataExport: true },
  restricted: { level: 'maximum', readNeedsPermission: true, encryptedAtRest: true, mfaRequired: true, auditReads: true, exportIsDataExport: true },
};

export const PERMISSIONS: PermissionDef[] = [
  // the guide's nine
  { name: 'read:compliance', description: 'Read compliance documents' },
  { name: 'write:compliance', description: 'Create and edit compliance documents' },
  { name: 'delete:compliance', description: 'Delete compliance documents' },
  { name: 'read:marketing', description: 'Read marketing documents' },
  { name: 'write:marketing', description: 'Create and edit marketing documents' },
  { name: 'read:feedback', description: 'Read feedback documents' },
  { name: 'write:feedback', description: 'Create and edit feedback documents' },
  { name: 'admin:users', description: 'Manage users, custom roles and role assignments; run the access review' },
  { name: 'admin:system', description: 'System administration; also deletes marketing and feedback documents (the guide defines delete only for compliance)' },
  // Warden's own capabilities
  { name: 'read:audit', description: 'Query, export and verify the audit log' },
  { name: 'admin:api_keys', description: 'Create, list and revoke API keys for machines' },
  { name: 'admin:keys', description: 'Create, rotate, rewrap and delete keyring keys' },
  { name: 'use:keys', description: 'Encrypt, decrypt and sign through the transit API' },
  { name: 'use:pii', description: 'Scan and anonymize text for PII' },
  { name: 'restore:pii', description: 'Restore pseudonymized PII from a restore token' },
  { name: 'ingest:events', description: 'Send security events to Warden (machines, log shippers)' },
  { name: 'read:alerts', description: 'Read detection alerts and rules' },
  { name: 'write:alerts', description: 'Acknowledge and resolve alerts' },
  { name: 'admin:rules', description: 'Create, edit and test detection rules' },
  { name: 'admin:channels', description: 'Manage notification channels' },
];

export const PERMISSION_NAMES: string[] = PERMISSIONS.map((p) => p.name);

/** `verb:noun`, lower case: the one naming style of every permission, built-in or future. */
export const PERMISSION_PATTERN = /^[a-z][a-z0-9_]{1,31}:[a-z][a-z0-9_]{1,47}$/;
export const ROLE_PATTERN = /^[a-z][a-z0-9_]{1,47}$/;

export const BUILTIN_ROLES: RoleDef[] = [
  { name: 'admin', description: 'Everything', permissions: PERMISSION_NAMES, builtin: true, superuser: true },
  { name: 'legal_team', description: 'Read and write compliance; read feedback', permissions: ['read:compliance', 'write:compliance', 'read:feedback'], builtin: true },
  { name: 'marketing_team', description: 'Read and write marketing; read feedback', permissions: ['read:marketing', 'write:marketing', 'read:feedback'], builtin: true },
  { name: 'product_team', description: 'Read and write feedback; read marketing', permissions: ['read:feedback', 'write:feedback', 'read:marketing'], builtin: true },
  { name: 'readonly_user', description: 'Read compliance, marketing and feedback', permissions: ['read:compliance', 'read:marketing', 'read:feedback'], builtin: true },
];

export const BUILTIN_ROLE_NAMES: ReadonlySet<string> = new Set(BUILTIN_ROLES.map((r) => r.name));
