/* Fuzz the unwind tables' reader: an 8-byte header (pointer size, where
 * .eh_frame_hdr ends, the two sections' addresses' low bits), then the
 * bytes of .eh_frame_hdr and of .eh_frame. Both ways in are read: the
 * header's table resolved, and every FDE in turn. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ehframe.h"
#include "fuzz.h"
#include "xmalloc.h"

/* Read data as a pair of unwind-table sections. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ehframe_src src;
	struct ehframe_fde *v = NULL;
	uint16_t hdrlen, hdroff, ehoff;
	uint64_t addr;
	size_t n;

	if (size < 8)
		return 0;
	memset(&src, 0, sizeof src);
	src.ptrsize = (data[0] & 1) ? 4 : 8;
	memcpy(&hdrlen, data + 2, 2);
	memcpy(&hdroff, data + 4, 2);
	memcpy(&ehoff, data + 6, 2);
	data += 8;
	size -= 8;
	if (hdrlen > size)
		hdrlen = (uint16_t)size;
	/* Each part in an allocation of its own, so that reading past its
	 * end is caught. */
	if (!(data[-8] & 2) && hdrlen > 0) {
		src.hdr = memcpy(xmalloc(hdrlen), data, hdrlen);
		src.hdrsize = hdrlen;
		src.hdraddr = 0x400000 + hdroff;
	}
	if (size > hdrlen) {
		src.eh = memcpy(xmalloc(size - hdrlen), data + hdrlen, size - hdrlen);
		src.ehsize = size - hdrlen;
		src.ehaddr = (data[-8] & 4) ? 0x400000 + ehoff :
		    0x400000 + hdroff + hdrlen;
	}
	ehframe_hdr_eh_addr(&src, &addr);
	n = ehframe_hdr_table(&src, &v);
	ehframe_resolve(&src, v, n);
	free(v);
	v = NULL;
	ehframe_read(&src, &v);
	free(v);
	free((void *)src.hdr);
	free((void *)src.eh);
	return 0;
}
