/*
 * device.h — the backend interface that plays laid-out pages back (after
 * MuPDF's fz_device and cairo's paginated surface): a backend embeds a
 * pub_device first and fills in the callbacks; layout decides everything.
 */
#ifndef PUB_LAYOUT_DEVICE_H
#define PUB_LAYOUT_DEVICE_H

#include "layout/layout.h"

typedef struct pub_device pub_device;
struct pub_device {
    pub_status (*begin_document)(pub_device *dev, const pub_layout *l);
    pub_status (*begin_page)(pub_device *dev, const pub_page *p, size_t index);
    pub_status (*draw_text)(pub_device *dev, const pub_box *b);  /* GLYPHS */
    pub_status (*draw_rule)(pub_device *dev, const pub_box *b);  /* RULE */
    pub_status (*mark)(pub_device *dev, const pub_box *b);       /* LINK, DEST */
    pub_status (*end_page)(pub_device *dev, const pub_page *p);
    pub_status (*finish)(pub_device *dev, const pub_layout *l);
};

/* Calls dev for every page and box of l, in order; stops at the first
 * error a callback returns. */
PUB_MUST_CHECK pub_status pub_layout_play(const pub_layout *l, pub_device *dev);

#endif
