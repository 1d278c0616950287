/* draw.h: what the live view's panels draw with: text that never wraps
 * nor runs past the right edge, the colours of kinds, boxes, and the
 * numbers as the screen shows them. The one include of curses: every file
 * of the view that draws includes this.
 */
#ifndef VMMAP_TUI_DRAW_H
#define VMMAP_TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

/* Say how to draw from now on: UTF-8 glyphs or ASCII, colours or none
 * (set by terminal_open()). */
void draw_setup(bool utf8, bool color);
bool draw_utf8(void);
bool draw_color(void);

/* The attribute a region kind is drawn with: kind_color()'s names as
 * curses colours; A_NORMAL without colours. */
attr_t kind_attr(int kind);

/* Colour c (COLOR_RED...) on the default background; A_NORMAL without
 * colours. */
attr_t color_attr(int c);

/* Draw s at (y, x) in at most width cells: multibyte text as the locale
 * reads it, anything unprintable as '?', never past the right edge.
 * Returns the cells used. */
int put_text(int y, int x, int width, const char *s, attr_t a);

/* Like put_text(), but when s is wider than width keep its end (the file
 * name of a long path) after an ellipsis. Returns the cells used. */
int put_tail(int y, int x, int width, const char *s, attr_t a);

/* s right-aligned in width cells. */
void put_right(int y, int x, int width, const char *s, attr_t a);

/* A blank box of h lines and w columns at (y, x), framed, title on top. */
void draw_box(int y, int x, int h, int w, const char *title);

/* A size as the screen shows it ("1.5M"), "-" when unknown. */
void size_text(uint64_t v, bool known, char *out, size_t n);

/* A change of size: "+1.5M", "-4K", "0". */
void delta_text(int64_t d, char *out, size_t n);

#endif
