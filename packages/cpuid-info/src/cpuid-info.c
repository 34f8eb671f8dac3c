/* cpuid-info: the x86 CPU's vendor, brand string and a few feature flags, from the CPUID
 * instruction. x86 only (<cpuid.h> exists for no other architecture), hence the package's
 * "architectures": ["x86_64"].
 *
 * Expected stdout: three lines, values depend on the CPU, e.g.
 *   vendor: GenuineIntel
 *   brand: Intel(R) Xeon(R) CPU @ 2.20GHz
 *   features: sse2 sse4.2 avx avx2
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    unsigned int eax, ebx, ecx, edx;
    char vendor[13], brand[49] = "";

    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) {
        fputs("cpuid-info: CPUID is not supported\n", stderr);
        return 1;
    }
    unsigned int max_leaf = eax;
    memcpy(vendor, &ebx, 4);
    memcpy(vendor + 4, &edx, 4);
    memcpy(vendor + 8, &ecx, 4);
    vendor[12] = '\0';
    printf("vendor: %s\n", vendor);

    if (__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) && eax >= 0x80000004u) {
        for (unsigned int leaf = 0; leaf < 3; leaf++) {
            unsigned int regs[4];
            __get_cpuid(0x80000002u + leaf, &regs[0], &regs[1], &regs[2], &regs[3]);
            memcpy(brand + leaf * 16, regs, 16);
        }
        brand[48] = '\0';
    }
    const char *start = brand;
    while (*start == ' ')
        start++;
    printf("brand: %s\n", *start ? start : "unknown");

    printf("features:");
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        if (edx & bit_SSE2) printf(" sse2");
        if (ecx & bit_SSE4_2) printf(" sse4.2");
        if (ecx & bit_AVX) printf(" avx");
    }
    if (max_leaf >= 7 && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & bit_AVX2))
        printf(" avx2");
    putchar('\n');
    return 0;
}
