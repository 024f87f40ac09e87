/* fuzz_util.c - helpers of the fuzz targets (fuzz.h). */
#include <utf8proc.h>

#include "fuzz.h"

int fuzz_valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}
