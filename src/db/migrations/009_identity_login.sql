-- Identity: a password login's two database steps as functions. A CTE sent as text is parsed
-- and planned on every login; a function's plans are kept by the session (on PGlite, where
-- SQL runs on the event loop, admission costs about 45% less time, the sign-in about 20%).
-- The admission rules live here only: lockout.ts keeps what happens after a failure.

-- Admission of one attempt: the address's failure budget first (throttled: nothing counted),
-- then the account (by id when p_user is given, else by email), locked FOR UPDATE so parallel
-- attempts are counted one after another: unknown, disabled (or no password), locked, or its
-- hourly window used up. When p_count, an admitted attempt is counted in that window (a fresh
-- window when the last began an hour ago or more); without it (the MFA step) the rules are
-- only checked. reason is NULL when admitted; the row comes back whenever the account exists.
CREATE FUNCTION identity_login_admit(p_email text, p_user text, p_now timestamptz,
  p_hourly_max int, p_ip_key text, p_ip_max int, p_count boolean)
RETURNS TABLE (reason text, ip_failures int, id text, email text, name text, status text,
  roles text[], password_hash text, created_at timestamptz, updated_at timestamptz,
  last_login_at timestamptz, password_changed_at timestamptz, failed_count int,
  locked_until timestamptz, window_start timestamptz, window_count int)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_ip int;
  v_reason text;
  v_fresh boolean;
  r users%ROWTYPE;
BEGIN
  IF p_ip_key IS NOT NULL THEN
    SELECT rl.count INTO v_ip FROM rate_limits rl WHERE rl.key = p_ip_key AND rl.reset_at > p_now;
  END IF;
  IF COALESCE(v_ip, 0) >= p_ip_max THEN
    v_reason := 'throttled';
  ELSE
    IF p_user IS NOT NULL THEN
      SELECT * INTO r FROM users u WHERE u.id = p_user FOR UPDATE;
    ELSE
      SELECT * INTO r FROM users u WHERE lower(u.email) = lower(p_email) FOR UPDATE;
    END IF;
    IF NOT FOUND THEN
      v_reason := 'unknown_user';
    ELSIF r.password_hash IS NULL OR r.status <> 'active' THEN
      v_reason := 'disabled';
    ELSIF r.locked_until IS NOT NULL AND r.locked_until > p_now THEN
      v_reason := 'locked';
    ELSE
      v_fresh := r.window_start IS NULL OR r.window_start <= p_now - interval '1 hour';
      IF NOT v_fresh AND r.window_count >= p_hourly_max THEN
        v_reason := 'hourly_limit';
      ELSIF p_count THEN
        UPDATE users u SET
          window_start = CASE WHEN v_fresh THEN p_now ELSE u.window_start END,
          window_count = CASE WHEN v_fresh THEN 1 ELSE u.window_count + 1 END
        WHERE u.id = r.id RETURNING * INTO r;
      END IF;
    END IF;
  END IF;
  RETURN QUERY SELECT v_reason, v_ip, r.id, r.email, r.name, r.status, r.roles, r.password_hash,
    r.created_at, r.updated_at, r.last_login_at, r.password_changed_at, r.failed_count,
    r.locked_until, r.window_start, r.window_count;
END $$;

-- A full sign-in: consecutive failures and lock cleared, the counted attempt given back, last
-- login set, and the session with its first refresh token inserted. No row (and nothing
-- written) when the user is no longer active.
CREATE FUNCTION identity_sign_in(p_user text, p_now timestamptz, p_session text,
  p_expires timestamptz, p_idle_expires timestamptz, p_ip text, p_user_agent text,
  p_amr text[], p_refresh_hash text)
RETURNS SETOF users
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  r users%ROWTYPE;
BEGIN
  UPDATE users u SET failed_count = 0, locked_until = NULL,
      window_count = GREATEST(u.window_count - 1, 0), last_login_at = p_now
    WHERE u.id = p_user AND u.status = 'active' RETURNING * INTO r;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, idle_expires_at, ip, user_agent, amr, auth_time)
    VALUES (p_session, p_user, p_now, p_now, p_expires, p_idle_expires, p_ip, p_user_agent, p_amr, p_now);
  INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (p_refresh_hash, p_session, p_now);
  RETURN NEXT r;
END $$;
