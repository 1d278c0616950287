/* terminal.c: curses set up and torn down, and the signals that must not
 * leave a terminal in curses mode behind (see terminal.h). */
#include "config.h"

#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load/sample.h"
#include "tui/terminal.h"

static bool screen_active;
static volatile sig_atomic_t continued;

static void on_continue(int sig)
{
	continued = 1;
}

static void on_crash(int sig)
{
	/* not async-signal-safe, but the alternative is a dead terminal */
	if (screen_active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int crash_signals[TERMINAL_NCRASH] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static void catch_crashes(struct sigaction *old)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < TERMINAL_NCRASH; i++)
		sigaction(crash_signals[i], &sa, &old[i]);
}

static void restore_crashes(const struct sigaction *old)
{
	int i;

	for (i = 0; i < TERMINAL_NCRASH; i++)
		sigaction(crash_signals[i], &old[i], NULL);
}

bool terminal_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return MB_CUR_MAX > 1 && cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

static void restore_signals(const struct terminal *term)
{
	sigaction(SIGINT, &term->old_int, NULL);
	sigaction(SIGTERM, &term->old_term, NULL);
	sigaction(SIGHUP, &term->old_hup, NULL);
	sigaction(SIGCONT, &term->old_cont, NULL);
}

static void catch_continue(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_continue;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCONT, &sa, old);
}

int terminal_open(struct terminal *term, int color)
{
	bool use_color;

	memset(term, 0, sizeof(*term));
	sigaction(SIGINT, NULL, &term->old_int);
	sigaction(SIGTERM, NULL, &term->old_term);
	sigaction(SIGHUP, NULL, &term->old_hup);
	/* ours first: ncurses keeps handlers it finds installed */
	watch_catch_stop_signals();
	catch_crashes(term->old_crash);
	catch_continue(&term->old_cont);
	continued = 0;
	term->scr = newterm(NULL, stdout, stdin);
	if (!term->scr) {
		restore_crashes(term->old_crash);
		restore_signals(term);
		fprintf(stderr, "vmmap: cannot set up the terminal (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	screen_active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	use_color = color == 1 || (color < 0 && !(getenv("NO_COLOR") && *getenv("NO_COLOR")));
	if (use_color && has_colors()) {
		short c;

		start_color();
		use_default_colors();
		for (c = 0; c < 8; c++)
			init_pair((short)(c + 1), c, -1);
	} else {
		use_color = false;
	}
	draw_setup(terminal_locale_utf8(), use_color);
	return 0;
}

bool terminal_resume(void)
{
	if (!continued)
		return false;
	continued = 0;
	/* endwin() and the next refresh(): curses sets its terminal modes
	 * again whatever a shell left, as after ^Z */
	endwin();
	clearok(curscr, TRUE);
	return true;
}

void terminal_close(struct terminal *term)
{
	endwin();
	screen_active = false;
	delscreen(term->scr);
	term->scr = NULL;
	restore_crashes(term->old_crash);
	restore_signals(term);
}
