import { defineErrors } from '../errors.js';

/** documents' stable error codes. */
export const documentsError = defineErrors({
  DOCUMENT_NOT_FOUND: 404,
  DOCUMENT_INVALID: 400,
  DOCUMENT_BAD_CURSOR: 400,
  /** A concurrent edit changed the document's classification meanwhile. */
  DOCUMENT_CONFLICT: 409,
  /** A stored ciphertext did not decrypt (wrong context, key shredded, tampered row). */
  DOCUMENT_UNREADABLE: 500,
});
