/* Only this file is compiled with the target's CRC flags (HW_CFLAGS in the Makefile), so
 * the rest of the program runs on any CPU of the architecture; the choice is made at run
 * time from the kernel's hardware capabilities. */
#define _GNU_SOURCE
#include "crc32.h"

#if defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
#include <string.h>
#include <sys/auxv.h>

int crc32_hw_available(void)
{
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
}

uint32_t crc32_hw(uint32_t crc, const unsigned char *data, size_t length)
{
    crc = ~crc;
    for (; length >= 8; data += 8, length -= 8) {
        uint64_t word;
        memcpy(&word, data, sizeof word); /* unaligned-safe; aarch64 Linux is little-endian */
        crc = __crc32d(crc, word);
    }
    while (length-- > 0)
        crc = __crc32b(crc, *data++);
    return ~crc;
}

const char *crc32_hw_name(void)
{
    return "armv8-crc32";
}

#else /* no hardware CRC-32 in this build */

int crc32_hw_available(void)
{
    return 0;
}

uint32_t crc32_hw(uint32_t crc, const unsigned char *data, size_t length)
{
    return crc32_generic(crc, data, length);
}

const char *crc32_hw_name(void)
{
    return "none";
}

#endif
