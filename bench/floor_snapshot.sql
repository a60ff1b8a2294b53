-- The floor of a closed cut-off: one hand-written query computing the national figures by unit
-- from the frozen snapshot rows of the cut-off :c (PRODUCT.md §3.8) — counts per status and
-- the group aggregates, the plain way.
SELECT unit_id,
       SUM(CASE WHEN status = 'on_track' THEN 1 ELSE 0 END) AS on_track,
       SUM(CASE WHEN status = 'at_risk' THEN 1 ELSE 0 END) AS at_risk,
       SUM(CASE WHEN status = 'overdue' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN status = 'fulfilled' THEN 1 ELSE 0 END) AS fulfilled,
       SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
       100.0 * SUM(CASE WHEN status = 'fulfilled' THEN 1 ELSE 0 END)
           / NULLIF(SUM(CASE WHEN status <> 'cancelled' AND in_denominator THEN 1 ELSE 0 END), 0)
           AS compliance_level,
       SUM(CASE WHEN status <> 'cancelled' THEN weight_cents * progress_num * 1.0 / progress_den
                ELSE 0 END)
           / NULLIF(SUM(CASE WHEN status <> 'cancelled' THEN weight_cents ELSE 0 END), 0)
           AS average_progress,
       100.0 * SUM(CASE WHEN status NOT IN ('cancelled', 'fulfilled') AND NOT stale
                        THEN 1 ELSE 0 END)
           / NULLIF(SUM(CASE WHEN status NOT IN ('cancelled', 'fulfilled') THEN 1 ELSE 0 END), 0)
           AS timeliness
FROM evaluation_snapshot
WHERE cutoff_id = :c
GROUP BY unit_id
