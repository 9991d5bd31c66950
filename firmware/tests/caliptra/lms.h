/* HSS/LMS signature verification (RFC 8554 §6.3, Algorithms 4b and 6a) on the SHA-256
 * engine, with every LM-OTS hash chain run by the engine's Winternitz accelerator
 * (WNTZ_MODE): firmware gives the first chain block, the engine iterates j up to 2^w - 2. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Counters of what the verification did, for the test's report. */
struct lms_stats {
  unsigned chains;      /* Winternitz chains run by the accelerator */
  unsigned chain_steps; /* hash steps inside them */
};

/* Returns true when sig is a valid HSS signature of msg under the HSS public key pub.
 * Unsupported parameter sets or malformed lengths print a FAIL line and return false;
 * a well-formed signature that does not verify returns false quietly. */
bool hss_verify(const uint8_t *pub, size_t pub_len, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                size_t sig_len, struct lms_stats *stats);
