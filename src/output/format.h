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

/*
 * The one way a name from a process or a capture (comm, a path, a thread,
 * section or symbol name, a warning that quotes one) is shown to a person,
 * in every view: a terminal must never receive a control it would act on.
 * Copy s into out with
 *   - control bytes (0x00-0x1f) and DEL as the kernel's octal escapes
 *     ("\012"), so a name stays on one line;
 *   - each byte of what the locale cannot print as a character as \xhh:
 *     bytes that are not a character in its encoding (any byte above 127
 *     in the C locale), C1 controls (CSI, 0x9b or U+009B) and other
 *     characters that are not printable;
 *   - the backslash of a "\x" already in s as \x5c, so every \x in the
 *     output is an escape;
 * and the rest as it is. Each input byte becomes at most 4 output bytes:
 * out of FORMAT_ESCAPED_SIZE(strlen(s)) bytes holds it all; a shorter one
 * gets what fits, never half an escape or half a character, NUL-terminated.
 * Uses the locale of LC_CTYPE.
 */
#define FORMAT_ESCAPED_SIZE(len) (4 * (len) + 1)
void format_escape_name(const char *s, char *out, size_t outsize);

/* format_escape_name() into a malloc'ed string (NULL on out of memory). */
char *format_escape_name_dup(const char *s);

/* The terminal cells text that format_escape_name() wrote takes (a double
 * width character counts two). */
size_t format_text_width(const char *s);

/* Cut s, text format_escape_name() wrote, to at most width terminal cells:
 * never half a character or half an escape. Returns the cells it keeps. */
size_t format_text_truncate(char *s, size_t width);

/* The same, keeping the end of s after a "..." mark (the end of a path
 * names its file): at most width cells. Returns the cells it keeps. */
size_t format_text_keep_end(char *s, size_t width);

/* Is s valid UTF-8 (RFC 3629: no overlong forms, surrogates or code
 * points past U+10FFFF)? */
bool format_utf8_valid(const char *s);

/* Copy s into out with each byte that is not part of a valid UTF-8
 * sequence replaced by U+FFFD: JSON text must be UTF-8, and the names a
 * process gives need not be. out of 3 * strlen(s) + 1 bytes holds it all;
 * a shorter one gets the whole sequences that fit, NUL-terminated. */
void format_utf8_repair(const char *s, char *out, size_t outsize);

#endif
