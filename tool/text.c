/*
 * text.c - the source text, read as text, and C spelled as text.
 *
 * The tool edits the user's bytes rather than printing an AST, so a few
 * questions are answered by looking at the text itself: where a for
 * header's `;`s are, where a declarator's `=` is, whether a name is spelled
 * where clang says it is (if not, a macro produced it), how a line is
 * indented. Every such scan lives here, and only here, so that each is
 * written once and its limits are visible in one place. The other half of
 * the file spells C: a declaration from clang's spelling of a type, and
 * the `#line` directives that map the output back to the input.
 */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

bool text_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool text_is_ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A cursor whose text does not spell its name is the product of a macro
 * expansion. */
bool text_spelled_at(const source *src, unsigned offset, const char *name)
{
    size_t n = strlen(name);
    if (offset == (unsigned)-1 || offset + n > src->len)
        return false;
    if (memcmp(src->text + offset, name, n) != 0)
        return false;
    return offset + n == src->len || !text_is_ident_char(src->text[offset + n]);
}

unsigned text_skip_blank(const source *src, unsigned offset, unsigned limit)
{
    const char *t = src->text;
    while (offset < limit) {
        if (t[offset] == ' ' || t[offset] == '\t' || t[offset] == '\n' || t[offset] == '\r' ||
            t[offset] == '\f' || t[offset] == '\v' || t[offset] == '\\')
            offset++;
        else if (t[offset] == '/' && offset + 1 < limit && t[offset + 1] == '*') {
            const char *e = strstr(t + offset + 2, "*/");
            offset = e ? (unsigned)(e - t) + 2 : limit;
        } else if (t[offset] == '/' && offset + 1 < limit && t[offset + 1] == '/') {
            while (offset < limit && t[offset] != '\n')
                offset++;
        } else
            break;
    }
    return offset;
}

bool text_operator(const source *src, unsigned offset, unsigned limit, char op[4])
{
    const char *t = src->text;
    unsigned n = 0;
    while (offset + n < limit && n < 3 && strchr("&|=<>!+-*/%^~,", t[offset + n]) &&
           t[offset + n] != '\0') {
        if (t[offset + n] == '/' && offset + n + 1 < limit &&
            (t[offset + n + 1] == '*' || t[offset + n + 1] == '/'))
            break; /* a comment */
        op[n] = t[offset + n];
        n++;
    }
    op[n] = '\0';
    return n > 0;
}

unsigned text_skip_space(const source *src, unsigned at, unsigned end)
{
    while (at < end && strchr(" \t\r\n", src->text[at]))
        at++;
    return at;
}

bool text_for_header(const source *src, unsigned begin, unsigned end, unsigned out[3])
{
    unsigned i = begin, depth = 0;
    int found = 0;
    while (i < end && src->text[i] != '(')
        i++;
    for (; i < end && found < 3; i++) {
        char c = src->text[i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}') {
            depth--;
            if (depth == 0 && c == ')')
                out[found++] = i;
        } else if (c == ';' && depth == 1 && found < 2)
            out[found++] = i;
    }
    return found == 3;
}

unsigned text_stmt_end(const source *src, unsigned end)
{
    if (end > 0 && (src->text[end - 1] == ';' || src->text[end - 1] == '}'))
        return end;
    unsigned i = end;
    while (i < src->len && strchr(" \t\r\n", src->text[i]))
        i++;
    return i < src->len && src->text[i] == ';' ? i + 1 : end;
}

unsigned text_initializer_start(const source *src, unsigned name, unsigned end)
{
    int depth = 0;
    for (unsigned i = name; i < end; i++) {
        char c = src->text[i];
        if (c == '[' || c == '(')
            depth++;
        else if (c == ']' || c == ')')
            depth--;
        else if (c == '=' && depth <= 0) /* after `(*fp)(long)`, depth is -1 */
            return i + 1;
    }
    return 0;
}

char *text_indent_of(const source *src, unsigned offset)
{
    size_t start = src->line_start[source_line(src, offset)], i = start;
    while (i < src->len && (src->text[i] == ' ' || src->text[i] == '\t'))
        i++;
    char *s = xrealloc(NULL, i - start + 1);
    memcpy(s, src->text + start, i - start);
    s[i - start] = '\0';
    return s;
}

/* `(a) == (b)` is not enclosed by one pair. */
void text_unparen(const source *src, unsigned *from, unsigned *to)
{
    const char *t = src->text;
    while (*to - *from >= 2 && t[*from] == '(' && t[*to - 1] == ')') {
        int depth = 0;
        unsigned i = *from;
        for (; i < *to; i++) {
            if (t[i] == '(')
                depth++;
            else if (t[i] == ')' && --depth == 0)
                break;
        }
        if (i != *to - 1)
            return;
        (*from)++;
        (*to)--;
    }
}

void text_declare(buf *b, const char *type, const char *name)
{
    const char *fp = strstr(type, "(*");
    const char *arr = strchr(type, '[');
    if (fp) {
        const char *at = fp + 2;
        while (*at == '*')
            at++;
        buf_put(b, type, (size_t)(at - type));
        buf_puts(b, name);
        buf_puts(b, at);
    } else if (arr) {
        size_t n = (size_t)(arr - type);
        while (n > 0 && type[n - 1] == ' ')
            n--;
        buf_put(b, type, n);
        buf_printf(b, " %s", name);
        buf_puts(b, arr);
    } else {
        size_t n = strlen(type);
        buf_printf(b, n && type[n - 1] == '*' ? "%s%s" : "%s %s", type, name);
    }
}

void text_line_directive(const source *src, buf *out, unsigned line)
{
    buf_trim_line(out); /* indentation already written on the current line */
    if (out->len && out->data[out->len - 1] != '\n')
        buf_puts(out, "\n");
    buf_printf(out, "#line %u \"", line);
    for (const char *p = src->path; *p; p++)
        buf_printf(out, (*p == '"' || *p == '\\') ? "\\%c" : "%c", *p);
    buf_puts(out, "\"\n");
}

void text_pin_lines(buf *out, size_t from, unsigned line)
{
    if (from >= out->len)
        return;
    size_t n = out->len - from;
    char *block = xrealloc(NULL, n + 1);
    memcpy(block, out->data + from, n);
    block[n] = '\0';
    out->len = from;
    if (out->len && out->data[out->len - 1] != '\n')
        buf_puts(out, "\n");
    bool pinned = false; /* the line before is a #line already (nested pins) */
    for (char *p = block; *p;) {
        char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        const char *first = p + strspn(p, " \t");
        const char *end = first[0] == '/' && first[1] == '*' ? strstr(first, "*/") : NULL;
        bool directive = *first == '#';
        /* Blank lines and lines of a comment alone hold no code. */
        bool code = *first != '\n' && *first && !directive &&
                    !(end && end[2 + strspn(end + 2, " \t")] == '\n');
        if (code && !pinned)
            buf_printf(out, "#line %u\n", line);
        if (code || directive)
            pinned = !strncmp(first, "#line ", 6);
        buf_put(out, p, len);
        p += len;
    }
    free(block);
}

/* TEXT[FROM, TO) as the contents of a string in quotes, for DOT or C
 * (IN_C: `?` escaped too, against trigraphs): white space runs made one
 * space, quotes and backslashes escaped, cut at about 60 characters. */
void text_quoted(buf *o, const char *text, unsigned from, unsigned to, bool in_c)
{
    unsigned n = 0;
    bool space = false;
    for (unsigned i = from; i < to; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            space = n > 0;
            continue;
        }
        if (space)
            buf_puts(o, " ");
        space = false;
        if (++n > 60) {
            buf_puts(o, "...");
            return;
        }
        if (c == '"' || c == '\\' || (in_c && c == '?'))
            buf_puts(o, "\\");
        buf_put(o, &c, 1);
    }
}
