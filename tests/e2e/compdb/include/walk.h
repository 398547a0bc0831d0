/* Only compiles with the compile database's -DWALK_DEPTH_T=long. */
typedef WALK_DEPTH_T depth_t;
struct node {
    struct node *next;
};
depth_t walk(const struct node *n);
