package dev.fleetkey.service.users;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** How users' passwords are hashed. */
@Configuration(proxyBeanMethods = false)
class PasswordConfiguration {

    /**
     * Argon2id (memory-hard, the OWASP first choice) for new hashes; bcrypt hashes stay verifiable
     * behind the {@code {bcrypt}} prefix so the algorithm can change without locking anyone out.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        String argon2 = "argon2@SpringSecurity_v5_8";
        return new DelegatingPasswordEncoder(argon2, Map.of(
                argon2, Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "bcrypt", new BCryptPasswordEncoder()));
    }
}
