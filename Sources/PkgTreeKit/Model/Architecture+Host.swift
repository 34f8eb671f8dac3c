extension Architecture {
    /// The architecture of this machine.
    public static var host: Architecture {
        #if arch(x86_64)
        .x86_64
        #elseif arch(arm64)
        .aarch64
        #elseif arch(arm)
        .armv7
        #elseif arch(powerpc64le)
        .ppc64le
        #elseif arch(s390x)
        .s390x
        #else
        .riscv64
        #endif
    }
}
