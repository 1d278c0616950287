/* prefetch.c: a background reader handing out chunks through a ring.
 *
 * One producer (the thread) and one consumer (the caller). Slots are
 * filled in order; `filled` counts slots holding data the consumer has not
 * taken yet, plus the one it holds. The consumer gives a slot back by
 * asking for the next one. Its buffer then goes to a stack of spares that
 * the reader fills next: when the consumer keeps up, a few buffers go round
 * and stay mapped and warm, where a ring of buffers would have the kernel
 * fault in fresh pages for every slot the reader moves on to. With work, a
 * slot holds only the work's state: the text is read into one buffer of
 * the reader's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "proc/prefetch.h"

struct prefetch_slot {
	char *data;
	size_t len;
	void *state;		/* the work's, for this slot */
};

struct prefetch {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* a slot was filled or given back, or stop */
	size_t chunk_size;
	struct prefetch_work work;	/* fn NULL: none */
	unsigned int nslots;
	struct prefetch_slot *slots;
	char *text;		/* with work: the reader's one chunk buffer */
	char **spare;		/* buffers given back, the latest last */
	unsigned int nspare;
	unsigned int head;	/* next slot the reader fills */
	unsigned int tail;	/* next slot the consumer takes */
	unsigned int filled;	/* slots not yet given back */
	bool holding;		/* the consumer holds slot tail - 1 */
	bool done;		/* the reader reached EOF or an error */
	int err;		/* -errno of the failed read, 0 at EOF */
	bool stop;
};

static void *reader(void *arg)
{
	struct prefetch *p = arg;
	sigset_t all;

	/* signals are the caller's business (the live view restores the
	 * terminal on them): never deliver one to this thread */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct prefetch_slot *s;
		char **buf;
		size_t len = 0;
		bool end = false;
		int err = 0;

		while (!p->stop && p->filled == p->nslots)
			pthread_cond_wait(&p->changed, &p->lock);
		if (p->stop)
			break;
		s = &p->slots[p->head];
		if (!s->data && p->nspare)
			s->data = p->spare[--p->nspare];
		pthread_mutex_unlock(&p->lock);

		/* allocated when first used: a small file needs one slot */
		buf = p->work.fn ? &p->text : &s->data;
		if (!*buf && !(*buf = malloc(p->chunk_size))) {
			pthread_mutex_lock(&p->lock);
			p->err = -ENOMEM;
			p->done = true;
			pthread_cond_broadcast(&p->changed);
			break;
		}

		/* seq_file answers about a page per read(): fill the whole
		 * chunk, so the consumer is woken once per chunk */
		while (len < p->chunk_size) {
			ssize_t n = read(p->fd, *buf + len, p->chunk_size - len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				err = n < 0 ? -errno : 0;
				end = true;
				break;
			}
			len += (size_t)n;
		}
		if (p->work.fn && !err) {
			err = p->work.fn(p->work.ctx, *buf, len, end, &s->state);
			if (err)
				end = true;
		}

		pthread_mutex_lock(&p->lock);
		/* With work, the last chunk carries the end of the work even
		 * when the file had nothing more, and a chunk the work did not
		 * finish (a failed read or work) is never handed out. */
		if (p->work.fn ? !err : len > 0) {
			s->len = len;
			p->head = (p->head + 1) % p->nslots;
			p->filled++;
		}
		if (end) {
			p->err = err;
			p->done = true;
		}
		pthread_cond_broadcast(&p->changed);
		if (end)
			break;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void free_prefetch(struct prefetch *p)
{
	unsigned int i;

	if (p->slots)
		for (i = 0; i < p->nslots; i++) {
			free(p->slots[i].data);
			if (p->slots[i].state && p->work.free_state)
				p->work.free_state(p->slots[i].state);
		}
	while (p->spare && p->nspare)
		free(p->spare[--p->nspare]);
	free(p->spare);
	free(p->slots);
	free(p->text);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

int prefetch_start(int fd, size_t chunk_size, unsigned int max_chunks,
		   struct prefetch **out)
{
	return prefetch_start_work(fd, chunk_size, max_chunks, NULL, out);
}

int prefetch_start_work(int fd, size_t chunk_size, unsigned int max_chunks,
			const struct prefetch_work *work, struct prefetch **out)
{
	struct prefetch *p;
	int rc;

	*out = NULL;
	if (fd < 0)
		return fd;
	if (!chunk_size || max_chunks < 2) {
		close(fd);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	p->fd = fd;
	p->chunk_size = chunk_size;
	if (work)
		p->work = *work;
	p->nslots = max_chunks;
	p->slots = calloc(max_chunks, sizeof(*p->slots));
	p->spare = calloc(max_chunks, sizeof(*p->spare));
	if (!p->slots || !p->spare) {
		free_prefetch(p);
		return -ENOMEM;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	rc = -pthread_create(&p->thread, NULL, reader, p);
	if (rc) {
		pthread_cond_destroy(&p->changed);
		pthread_mutex_destroy(&p->lock);
		free_prefetch(p);
		return rc;
	}
	*out = p;
	return 0;
}

/* Give back the slot the consumer holds, wait for the next one and take
 * it. Returns the slot, or NULL at the end with *err set. Called locked. */
static struct prefetch_slot *take_slot(struct prefetch *p, int *err)
{
	struct prefetch_slot *s = NULL;

	*err = 0;
	if (p->holding) {
		struct prefetch_slot *held = &p->slots[(p->tail + p->nslots - 1) % p->nslots];

		if (held->data) {
			p->spare[p->nspare++] = held->data;
			held->data = NULL;
		}
		p->holding = false;
		p->filled--;
		pthread_cond_broadcast(&p->changed);
	}
	while (p->filled == 0 && !p->done)
		pthread_cond_wait(&p->changed, &p->lock);
	if (p->filled) {
		s = &p->slots[p->tail];
		p->tail = (p->tail + 1) % p->nslots;
		p->holding = true;
	} else {
		*err = p->err;
	}
	return s;
}

int prefetch_next(struct prefetch *p, const char **data, size_t *len)
{
	struct prefetch_slot *s;
	int rc;

	*data = NULL;
	*len = 0;
	if (p->work.fn)
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	s = take_slot(p, &rc);
	if (s) {
		*data = s->data;
		*len = s->len;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

int prefetch_next_work(struct prefetch *p, void **state)
{
	struct prefetch_slot *s;
	int rc;

	*state = NULL;
	if (!p->work.fn)
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	s = take_slot(p, &rc);
	if (s) {
		*state = s->state;
		rc = 1;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void prefetch_stop(struct prefetch *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->lock);
	free_prefetch(p);
}
