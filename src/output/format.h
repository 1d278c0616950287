/* format.h: how numbers and names are written for people. */
#ifndef VMMAP_OUTPUT_FORMAT_H
#define VMMAP_OUTPUT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "4K", "1.5M", "132K", "2G", "0": binary units, one decimal below 10. */
void format_size_human(uint64_t bytes, char *out, size_t outsize);

/* Bytes as a human size or as a plain number (--bytes). */
void format_size(uint64_t bytes, bool raw_bytes, char *out, size_t outsize);

/* v in decimal, and in lowercase hex without a prefix. */
void format_number(uint64_t v, char *out, size_t outsize);
void format_hex(uint64_t v, char *out, size_t outsize);

/* Address as lowercase hex, zero-padded to width digits (maps style: 8 for
 * a 32-bit address space, 12 for a 64-bit one; longer values are not cut). */
void format_addr(uint64_t addr, int width, char *out, size_t outsize);

/* Copy s into out, writing newlines and other control bytes as the kernel's
 * octal escapes ("\012") so a name stays on one line. */
void format_escape_name(const char *s, char *out, size_t outsize);

/* Is s valid UTF-8 (RFC 3629: no overlong forms, surrogates or code
 * points past U+10FFFF)? */
bool format_utf8_valid(const char *s);

/* Copy s into out with each byte that is not part of a valid UTF-8
 * sequence replaced by U+FFFD: JSON text must be UTF-8, and the names a
 * process gives need not be. out of 3 * strlen(s) + 1 bytes holds it all;
 * a shorter one gets the whole sequences that fit, NUL-terminated. */
void format_utf8_repair(const char *s, char *out, size_t outsize);

#endif
