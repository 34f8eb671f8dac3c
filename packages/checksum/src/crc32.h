/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum of zlib, gzip, PNG
 * and `cksum -a crc32b`. crc32("123456789") = 0xcbf43926. */
#ifndef CRC32_H
#define CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Portable table-driven update. Start with crc = 0; feed chunks in order. */
uint32_t crc32_generic(uint32_t crc, const unsigned char *data, size_t length);

/* Hardware update (crc32_hw.c): the ARMv8 CRC32 instructions, when the build enabled them
 * (-march=armv8-a+crc) and this CPU has them. Same results as crc32_generic. */
int crc32_hw_available(void);
uint32_t crc32_hw(uint32_t crc, const unsigned char *data, size_t length);
const char *crc32_hw_name(void);

#endif /* CRC32_H */
