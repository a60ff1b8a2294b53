-- The floor of the evaluation benchmark: one hand-written query computing the national figures
-- by unit at a date :t from the raw history — the latest counting report per commitment, the due
-- date after extensions, the status by CASE and the group aggregates (PRODUCT.md §3), written
-- the plain way: an indexed correlated subquery per input, evaluated once per commitment
-- (MATERIALIZED: inlined, each input's subquery would run at every reference).
-- {days(a, b)} is replaced by the dialect's day difference; :t by a bound date parameter.
WITH ev AS MATERIALIZED (
    SELECT c.responsible_unit_id AS unit_id, c.weight, c.start_date AS s, c.cancelled_on,
           COALESCE((SELECT r.progress_num * 1.0 / r.progress_den
                     FROM progress_progressreport r
                     WHERE r.commitment_id = c.id AND r.state = 'validated'
                       AND r.as_of <= :t AND r.validated_on <= :t
                     ORDER BY r.as_of DESC, r.validated_on DESC, r.id DESC LIMIT 1), 0) AS p,
           COALESCE((SELECT e.new_due_date
                     FROM commitments_extensionrequest e
                     WHERE e.commitment_id = c.id AND e.status = 'approved'
                       AND e.decided_on <= :t
                     ORDER BY e.decided_on DESC, e.id DESC LIMIT 1), c.due_date) AS d,
           (SELECT MAX(r.submitted_on) FROM progress_progressreport r
            WHERE r.commitment_id = c.id AND r.submitted_on <= :t) AS last_submitted
    FROM commitments_commitment c
    WHERE c.start_date <= :t
),
st AS (
    SELECT ev.*,
           CASE
               WHEN cancelled_on IS NOT NULL AND cancelled_on <= :t THEN 'cancelled'
               WHEN p >= 100 THEN 'fulfilled'
               WHEN :t > d THEN 'overdue'
               WHEN :t <= s THEN 'on_track'
               WHEN p < (CASE WHEN :t >= d THEN 100.0
                              ELSE 100.0 * {days(:t, s)} / {days(d, s)} END) - 20 THEN 'at_risk'
               ELSE 'on_track'
           END AS status
    FROM ev
)
SELECT unit_id,
       SUM(CASE WHEN status = 'on_track' THEN 1 ELSE 0 END) AS on_track,
       SUM(CASE WHEN status = 'at_risk' THEN 1 ELSE 0 END) AS at_risk,
       SUM(CASE WHEN status = 'overdue' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN status = 'fulfilled' THEN 1 ELSE 0 END) AS fulfilled,
       SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
       100.0 * SUM(CASE WHEN status = 'fulfilled' THEN 1 ELSE 0 END)
           / NULLIF(SUM(CASE WHEN status <> 'cancelled' AND (status = 'fulfilled' OR d <= :t)
                             THEN 1 ELSE 0 END), 0) AS compliance_level,
       SUM(CASE WHEN status <> 'cancelled' THEN weight * p ELSE 0 END)
           / NULLIF(SUM(CASE WHEN status <> 'cancelled' THEN weight ELSE 0 END), 0)
           AS average_progress,
       100.0 * SUM(CASE WHEN status NOT IN ('cancelled', 'fulfilled')
                         AND NOT ({days(:t, s)} >= 31
                                  AND (last_submitted IS NULL
                                       OR {days(:t, last_submitted)} > 30))
                        THEN 1 ELSE 0 END)
           / NULLIF(SUM(CASE WHEN status NOT IN ('cancelled', 'fulfilled') THEN 1 ELSE 0 END), 0)
           AS timeliness
FROM st
GROUP BY unit_id
