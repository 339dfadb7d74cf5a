/*
 * main.c — the `publish` command: parses options (getopt_long), gathers
 * the input files, and calls libpublish. Nothing here knows about text,
 * layout or file formats.
 */
#include "index/index.h"
#include "layout/layout.h"
#include "output/bag.h"
#include "output/editions.h"
#include "publish.h"
#include "style/style.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

/* The progress line on a terminal: shown once a run has taken a second,
 * redrawn at most ten times a second, cleared before any other message. */
typedef struct progress {
    int on;             /* stderr is a terminal and not --quiet */
    struct timespec t0;
    double last;
    int shown;
} progress;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void clear_progress(progress *pr)
{
    if (pr->shown) {
        fputs("\r\033[K", stderr);
        pr->shown = 0;
    }
}

static void show_progress(void *user, const char *stage, size_t done, size_t total)
{
    progress *pr = user;
    if (!pr->on)
        return;
    double now = seconds_since(&pr->t0);
    if (now < 1.0 || (now - pr->last < 0.1 && done < total))
        return;
    pr->last = now;
    fprintf(stderr, "\rpublish: %s: %zu of %zu\033[K", stage, done, total);
    pr->shown = 1;
}

static void print_diag(void *user, pub_severity sev, const char *file,
                       int line, const char *msg)
{
    clear_progress(user);
    const char *what = sev == PUB_ERROR ? "error" : sev == PUB_WARNING ? "warning" : "note";
    if (file != NULL && line > 0)
        fprintf(stderr, "%s:%d: %s: %s\n", file, line, what, msg);
    else if (file != NULL)
        fprintf(stderr, "%s: %s: %s\n", file, what, msg);
    else
        fprintf(stderr, "publish: %s: %s\n", what, msg);
}

static void usage(FILE *f)
{
    fputs("Usage: publish [OPTION]... INPUT...\n"
          "Turn plain-text statements into a PDF dossier and an EPUB 3.\n"
          "INPUT is a statement file (UTF-8 text) or a folder of *.txt files.\n"
          "\n"
          "  --pdf            write the PDF dossier (DIR/dossier.pdf)\n"
          "  --epub           write the EPUB 3 (DIR/dossier.epub)\n"
          "                   (with neither, both are written)\n"
          "  --csv            write the signatory table (DIR/signatories.csv)\n"
          "  --json           print the document model as JSON on stdout\n"
          "  --check          print what was recognised and every anomaly\n"
          "  --bag DIR        write a BagIt bag (RFC 8493) at DIR: PDF, EPUB,\n"
          "                   JSON, CSV and the sources, with checksums\n"
          "  --tree           print the document model as an indented tree\n"
          "  -o, --output DIR output folder (default: out)\n"
          "  --style FILE     style file (INI), or a name from styles/\n"
          "                   (default, letter)\n"
          "  --title TEXT     title of the dossier\n"
          "  --subtitle TEXT, --compiler TEXT, --publisher TEXT\n"
          "                   subtitle, compiler and publisher of the dossier\n"
          "  --language TAG   language of the dossier's own texts (BCP 47)\n"
          "  --order date|input\n"
          "                   statements by date (default) or as given\n"
          "  (a folder's dossier.ini may set these; options override it)\n"
          "  -j, --jobs N     threads to use (default: the number of processors);\n"
          "                   the output is the same for every N\n"
          "  -q, --quiet      print errors and warnings only (no progress)\n"
          "  --timings        print the time each stage took on stderr\n"
          "  -h, --help       show this help and exit\n"
          "  -V, --version    show the version and exit\n"
          "\n"
          "Exit status: 0 ok, 1 input or output problem, 2 usage error.\n",
          f);
}

typedef struct inputs {
    char **paths;
    size_t n, cap;
} inputs;

static int add_input(inputs *in, const char *path)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 16;
        char **p = realloc(in->paths, cap * sizeof *p);
        if (p == NULL)
            return 0;
        in->paths = p;
        in->cap = cap;
    }
    in->paths[in->n] = strdup(path);
    return in->paths[in->n++] != NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Adds a file, or every *.txt of a folder in name order. */
static int gather(pub_ctx *ctx, inputs *in, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot read input: %s", strerror(errno));
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return add_input(in, path);
    DIR *dir = opendir(path);
    if (dir == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot read folder: %s", strerror(errno));
        return 0;
    }
    size_t first = in->n;
    struct dirent *e;
    int ok = 1;
    while (ok && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".txt"))
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *full = malloc(n);
        if (full == NULL) {
            ok = 0;
            break;
        }
        snprintf(full, n, "%s%s%s", path, ends_with(path, "/") ? "" : "/", e->d_name);
        ok = add_input(in, full);
        free(full);
    }
    closedir(dir);
    if (ok && in->n == first) {
        pub_diag(ctx, PUB_ERROR, path, 0, "folder holds no statements (*.txt)");
        return 0;
    }
    qsort(in->paths + first, in->n - first, sizeof *in->paths, cmp_str);
    return ok;
}

static int ensure_dir(pub_ctx *ctx, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 1;
        pub_diag(ctx, PUB_ERROR, dir, 0, "output path exists and is not a folder");
        return 0;
    }
    if (mkdir(dir, 0755) != 0) {
        pub_diag(ctx, PUB_ERROR, dir, 0, "cannot create output folder: %s", strerror(errno));
        return 0;
    }
    return 1;
}

/* The allocator's policy for this process: heaps start and grow with 8 MB
 * to spare. By default glibc grows them page by page, with brk or
 * mprotect, and in a process with threads every mprotect makes the other
 * cores flush their TLBs: 2,600 calls for 200 statements, about 1,200 with
 * the pad (a thread's heap that outgrows its start still grows page by
 * page). Untouched pad pages cost no memory. */
static void allocator_policy(void)
{
#ifdef M_TOP_PAD
    mallopt(M_TOP_PAD, 8 << 20);
#endif
}

int main(int argc, char **argv)
{
    enum { OPT_PDF = 256, OPT_EPUB, OPT_JSON, OPT_CHECK, OPT_TREE, OPT_STYLE, OPT_TITLE,
           OPT_BAG, OPT_SUBTITLE, OPT_COMPILER, OPT_PUBLISHER, OPT_LANGUAGE, OPT_ORDER,
           OPT_CSV, OPT_TIMINGS };
    static const struct option opts[] = {
        {"pdf", no_argument, NULL, OPT_PDF},
        {"epub", no_argument, NULL, OPT_EPUB},
        {"json", no_argument, NULL, OPT_JSON},
        {"check", no_argument, NULL, OPT_CHECK},
        {"tree", no_argument, NULL, OPT_TREE},
        {"bag", required_argument, NULL, OPT_BAG},
        {"output", required_argument, NULL, 'o'},
        {"style", required_argument, NULL, OPT_STYLE},
        {"title", required_argument, NULL, OPT_TITLE},
        {"subtitle", required_argument, NULL, OPT_SUBTITLE},
        {"compiler", required_argument, NULL, OPT_COMPILER},
        {"publisher", required_argument, NULL, OPT_PUBLISHER},
        {"language", required_argument, NULL, OPT_LANGUAGE},
        {"order", required_argument, NULL, OPT_ORDER},
        {"csv", no_argument, NULL, OPT_CSV},
        {"timings", no_argument, NULL, OPT_TIMINGS},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    allocator_policy();
    int want_pdf = 0, want_epub = 0, want_json = 0, want_check = 0, want_tree = 0,
        want_csv = 0, want_timings = 0;
    double t_read = 0, t_layout = 0, t_write = 0; /* --timings, seconds */
    const char *outdir = "out", *style_arg = NULL, *title = NULL;
    /* dossier description options, applied over any dossier.ini */
    static const char *const info_keys[] = {"title", "subtitle", "compiler",
                                            "publisher", "language", "order"};
    const char *info_vals[sizeof info_keys / sizeof *info_keys] = {0};
    const char *bag_dir = NULL;
    progress pr = {0};
    clock_gettime(CLOCK_MONOTONIC, &pr.t0);
    pub_ctx ctx = {.diag = print_diag, .diag_user = &pr, .progress = show_progress,
                   .progress_user = &pr};
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    int c;
    while ((c = getopt_long(argc, argv, "o:j:qhV", opts, NULL)) != -1) {
        switch (c) {
        case OPT_PDF: want_pdf = 1; break;
        case OPT_EPUB: want_epub = 1; break;
        case OPT_JSON: want_json = 1; break;
        case OPT_CHECK: want_check = 1; break;
        case OPT_TREE: want_tree = 1; break;
        case OPT_STYLE: style_arg = optarg; break;
        case OPT_TITLE: info_vals[0] = optarg; break;
        case OPT_SUBTITLE: info_vals[1] = optarg; break;
        case OPT_COMPILER: info_vals[2] = optarg; break;
        case OPT_PUBLISHER: info_vals[3] = optarg; break;
        case OPT_LANGUAGE: info_vals[4] = optarg; break;
        case OPT_ORDER:
            if (strcmp(optarg, "date") != 0 && strcmp(optarg, "input") != 0) {
                fprintf(stderr, "publish: --order takes 'date' or 'input', not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            info_vals[5] = optarg;
            break;
        case OPT_CSV: want_csv = 1; break;
        case OPT_TIMINGS: want_timings = 1; break;
        case OPT_BAG: bag_dir = optarg; break;
        case 'o': outdir = optarg; break;
        case 'q': ctx.quiet = 1; break;
        case 'j': {
            char *end;
            errno = 0;
            jobs = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || jobs < 1 || jobs > 1024) {
                fprintf(stderr, "publish: --jobs takes a number from 1 to 1024, not '%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("publish %s\n", PUB_VERSION); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("publish: no input given\n", stderr);
        usage(stderr);
        return EXIT_USAGE;
    }
    ctx.jobs = jobs < 1 ? 1 : (int)jobs;
    pr.on = !ctx.quiet && isatty(STDERR_FILENO);
    if (!want_pdf && !want_epub && !want_json && !want_check && !want_tree &&
        !want_csv && bag_dir == NULL)
        want_pdf = want_epub = 1;

    int rc = EXIT_OK;
    inputs in = {0};
    pub_dossier *d = NULL;
    pub_layout *layout = NULL;
    char *text = NULL;
    pub_style style;
    pub_style_default(&style);

    for (int i = optind; i < argc; i++) {
        if (!gather(&ctx, &in, argv[i]))
            rc = EXIT_INPUT;
    }
    if (rc != EXIT_OK)
        goto done;
    d = pub_dossier_new();
    if (d == NULL) {
        pub_diag(&ctx, PUB_ERROR, NULL, 0, "out of memory");
        rc = EXIT_INPUT;
        goto done;
    }
    /* a folder's dossier.ini, then the options over it */
    for (int i = optind; i < argc; i++) {
        char ini[4096];
        struct stat st;
        if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        snprintf(ini, sizeof ini, "%s%sdossier.ini", argv[i],
                 ends_with(argv[i], "/") ? "" : "/");
        if (access(ini, F_OK) == 0 && pub_dossier_read_description(&ctx, d, ini) != PUB_OK)
            rc = EXIT_INPUT;
    }
    if (rc != EXIT_OK)
        goto done;
    for (size_t i = 0; i < sizeof info_keys / sizeof *info_keys; i++)
        if (info_vals[i] != NULL && pub_dossier_set(&ctx, d, info_keys[i], info_vals[i]) != PUB_OK) {
            rc = EXIT_USAGE;
            goto done;
        }
    title = pub_dossier_get_info(d)->title;
    if (style_arg == NULL)
        style_arg = pub_dossier_get_info(d)->style;
    if (style_arg != NULL) {
        char path[4096];
        if (strchr(style_arg, '/') == NULL && !ends_with(style_arg, ".ini"))
            snprintf(path, sizeof path, "%s/styles/%s.ini", PUB_DATADIR, style_arg);
        else
            snprintf(path, sizeof path, "%s", style_arg);
        if (pub_style_load(&ctx, &style, path) != PUB_OK) {
            rc = EXIT_INPUT;
            goto done;
        }
    }

    t_read = seconds_since(&pr.t0);
    if (pub_dossier_read_files(&ctx, d, (const char *const *)in.paths, in.n) != PUB_OK)
        rc = EXIT_INPUT;
    if (rc != EXIT_OK)
        goto done; /* nothing is written when any input is bad */
    if (pub_dossier_order(&ctx, d) != PUB_OK) {
        rc = EXIT_INPUT;
        goto done;
    }
    t_read = seconds_since(&pr.t0) - t_read;

    if (want_json) {
        if (pub_json_write(&ctx, d, &text) != PUB_OK) {
            rc = EXIT_INPUT;
            goto done;
        }
        fputs(text, stdout);
        free(text);
        text = NULL;
    }
    if (want_tree) {
        if (pub_tree_write(&ctx, d, &text) != PUB_OK) {
            rc = EXIT_INPUT;
            goto done;
        }
        fputs(text, stdout);
        free(text);
        text = NULL;
    }
    if (want_check) {
        int anomalies = 0;
        if (pub_check_report(&ctx, d, &text, &anomalies) != PUB_OK) {
            rc = EXIT_INPUT;
            goto done;
        }
        fputs(text, stdout);
        free(text);
        text = NULL;
    }
    if (want_csv) {
        pub_index *ix = NULL;
        size_t len = 0;
        char path[4096];
        snprintf(path, sizeof path, "%s/signatories.csv", outdir);
        if (!ensure_dir(&ctx, outdir) || pub_index_build(&ctx, d, &ix) != PUB_OK ||
            pub_csv_write(&ctx, d, ix, &text, &len) != PUB_OK ||
            pub_write_file_atomic(&ctx, path, text, len) != PUB_OK)
            rc = EXIT_INPUT;
        else if (!ctx.quiet)
            fprintf(stderr, "publish: wrote %s\n", path);
        pub_index_free(ix);
        free(text);
        text = NULL;
        if (rc != EXIT_OK)
            goto done;
    }
    if (want_pdf || want_epub) {
        if (!ensure_dir(&ctx, outdir)) {
            rc = EXIT_INPUT;
            goto done;
        }
        char pdf[4096], epub[4096];
        snprintf(pdf, sizeof pdf, "%s/dossier.pdf", outdir);
        snprintf(epub, sizeof epub, "%s/dossier.epub", outdir);
        int written[2] = {0, 0};
        /* the layout and the editions together: with threads, the EPUB's
         * statements are built while the back matter is laid out */
        t_write = seconds_since(&pr.t0);
        pub_status st = pub_layout_and_editions(&ctx, d, &style, title,
                                                want_pdf ? pdf : NULL,
                                                want_epub ? epub : NULL,
                                                bag_dir != NULL, written, &layout,
                                                &t_layout);
        t_write = seconds_since(&pr.t0) - t_write - t_layout;
        if (layout == NULL) {
            rc = EXIT_INPUT;
            goto done;
        }
        if (st != PUB_OK)
            rc = EXIT_INPUT;
        clear_progress(&pr);
        for (int i = 0; i < 2 && !ctx.quiet; i++)
            if (written[i])
                fprintf(stderr, "publish: wrote %s\n", i ? epub : pdf);
    }
    if (bag_dir != NULL && rc == EXIT_OK) {
        /* lays the dossier out itself when no PDF or EPUB was asked for */
        if (pub_bag_write(&ctx, d, layout, &style, title, bag_dir) != PUB_OK)
            rc = EXIT_INPUT;
        else if (!ctx.quiet)
            fprintf(stderr, "publish: wrote bag %s\n", bag_dir);
    }
done:
    clear_progress(&pr);
    if (want_timings && rc == EXIT_OK) {
        size_t pages = layout ? pub_layout_page_count(layout) : 0;
        fprintf(stderr,
                "publish: timings: read %.3f s (%zu statements), layout %.3f s "
                "(%zu pages, %.0f pages/s), editions %.3f s, total %.3f s\n",
                t_read, in.n, t_layout, pages,
                t_layout > 0 ? (double)pages / t_layout : 0.0, t_write,
                seconds_since(&pr.t0));
    }
    fflush(stdout);
    if (ferror(stdout)) {
        fputs("publish: error: cannot write to standard output\n", stderr);
        rc = EXIT_INPUT;
    }
    pub_layout_free(layout);
    pub_dossier_free(d);
    for (size_t i = 0; i < in.n; i++)
        free(in.paths[i]);
    free(in.paths);
    return rc;
}
