/* terminal.h: taking the terminal for the live view and always giving it
 * back: on quitting, on a stop signal and on a crash.
 *
 * Signals while the screen is up:
 *   SIGINT, SIGTERM, SIGHUP  set a flag (watch_stop_requested()) the view's
 *                            loop checks: it ends and the terminal is
 *                            restored as on quitting;
 *   SIGSEGV, SIGBUS, SIGFPE,
 *   SIGILL, SIGABRT          restore the terminal, then die of the signal;
 *   SIGTSTP (^Z)             ncurses' own handler gives the terminal back
 *                            before stopping and takes it again on resuming;
 *   SIGCONT                  sets a flag: terminal_resume() takes the
 *                            terminal again and repaints, for a stop that
 *                            did not go through ^Z (SIGSTOP, then fg in a
 *                            shell that set its own modes meanwhile);
 *   SIGWINCH                 ncurses' handler: a KEY_RESIZE key.
 * Whatever was installed before comes back in terminal_close().
 */
#ifndef VMMAP_TUI_TERMINAL_H
#define VMMAP_TUI_TERMINAL_H

#include <signal.h>
#include <stdbool.h>

#include "tui/draw.h"

enum { TERMINAL_NCRASH = 5 };

struct terminal {
	SCREEN *scr;
	struct sigaction old_crash[TERMINAL_NCRASH];
	struct sigaction old_int, old_term, old_hup, old_cont;
};

/* Whether the locale's characters are UTF-8 (else the screen is ASCII). */
bool terminal_locale_utf8(void);

/* Catch the signals, then take the terminal (stdin, stdout): no echo,
 * keys one by one with the keypad decoded, no cursor; colours when color
 * says so (1 on, 0 off, -1 unless NO_COLOR is set and not empty) and the
 * terminal has them. Calls draw_setup(). Returns 0, or -1 after printing
 * why to stderr with every handler put back. */
int terminal_open(struct terminal *term, int color);

/* Call before each draw: when the process was continued since the last
 * call, take the terminal again (curses' modes, keypad, alternate screen)
 * and have the next refresh repaint all of it. Returns true when it did. */
bool terminal_resume(void);

/* Give the terminal back as it was, and the signal handlers. */
void terminal_close(struct terminal *term);

#endif
