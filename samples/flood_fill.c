/*
 * flood_fill.c - recursive flood fill: four recursive calls in one return.
 *
 * The textbook flood fill calls itself for the four neighbours of each cell it
 * fills, so its depth is the length of the path it follows. On an open area
 * that is modest; on a maze it is the whole maze. The grid here is N x N: even
 * rows open, odd rows walls with one gap at alternating ends, a serpentine
 * path through about N*N/2 cells, plus a few random holes in the walls (from a
 * fixed-seed LCG) that make shortcuts. Filling from the corner follows the
 * serpentine first, about N*N/2 calls deep.
 *
 * fill() counts the cells it fills: 1 + fill(right) + fill(left) + fill(down)
 * + fill(up), with the grid passed as a pointer to a struct.
 *
 * usage: flood_fill N   fills an N x N grid (N = 1415 is 10^6 calls deep)
 *
 * unrecurse-test: small=1,2,3,10,100 deep=1500
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

enum { WALL = 0, OPEN = 1, FILLED = 2 };

struct grid {
    int width;
    int height;
    unsigned char *cells;
};

UNRECURSE static long fill(struct grid *g, int x, int y)
{
    unsigned char *cell;

    if (x < 0 || y < 0 || x >= g->width || y >= g->height)
        return 0;
    cell = &g->cells[(size_t)y * (size_t)g->width + (size_t)x];
    if (*cell != OPEN)
        return 0;
    *cell = FILLED;
    return 1 + fill(g, x + 1, y) + fill(g, x - 1, y) + fill(g, x, y + 1) + fill(g, x, y - 1);
}

static unsigned long long lcg_state = 1;

static unsigned lcg_next(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(lcg_state >> 33);
}

static void make_serpentine(struct grid *g)
{
    int x, y;

    for (y = 0; y < g->height; y++) {
        for (x = 0; x < g->width; x++) {
            unsigned char c = WALL;
            if (y % 2 == 0)
                c = OPEN;
            else if (x == ((y / 2) % 2 == 0 ? g->width - 1 : 0))
                c = OPEN; /* the gap that turns the path around */
            else if (lcg_next() % 100 == 0)
                c = OPEN; /* a shortcut */
            g->cells[(size_t)y * (size_t)g->width + (size_t)x] = c;
        }
    }
}

int main(int argc, char **argv)
{
    long n = 100;
    struct grid g;
    unsigned long long checksum = 0;
    long filled;
    size_t i;

    if (argc > 1)
        n = strtol(argv[1], NULL, 10);
    if (n < 1 || n > 20000) {
        fprintf(stderr, "usage: flood_fill N   (1 <= N <= 20000)\n");
        return 2;
    }
    g.width = (int)n;
    g.height = (int)n;
    g.cells = malloc((size_t)n * (size_t)n);
    if (g.cells == NULL) {
        fprintf(stderr, "flood_fill: out of memory\n");
        return 1;
    }
    make_serpentine(&g);
    filled = fill(&g, 0, 0);
    for (i = 0; i < (size_t)n * (size_t)n; i++)
        if (g.cells[i] == FILLED)
            checksum = checksum * 31 + i;
    printf("%ld x %ld grid: filled %ld cells, checksum %llu\n", n, n, filled, checksum);
    free(g.cells);
    return 0;
}
