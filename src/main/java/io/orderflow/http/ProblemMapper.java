package io.orderflow.http;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place HTTP errors are shaped: every error answers {@code application/problem+json}.
 * The client's mistakes are 4xx with a detail that says what to fix; only our own faults are 500.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(ProblemMapper::violation)
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        return problem(Response.Status.BAD_REQUEST, "the request is invalid", uri, violations);
    }

    /** Named apart from {@link #badJson}: Quarkus ships its own mapper for this exact type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        String detail = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? "field " + fieldPath(mismatch) + " has the wrong type or shape"
                : "the body is not valid JSON: " + e.getOriginalMessage();
        return problem(Response.Status.BAD_REQUEST, detail, uri, List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getFamily() == Response.Status.Family.SERVER_ERROR) {
            LOG.error("Request failed", e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return badJson(json, uri);
        }
        return problem(status, e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response invalid(ValidationException e, UriInfo uri) {
        LOG.error("Validation could not run", e);
        return problem(Response.Status.INTERNAL_SERVER_ERROR, "the request could not be validated", uri, List.of());
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return withChallenge(problem(Response.Status.UNAUTHORIZED, "credentials are required", uri, List.of()));
    }

    @ServerExceptionMapper
    public Response badCredentials(AuthenticationFailedException e, UriInfo uri) {
        return withChallenge(problem(Response.Status.UNAUTHORIZED, "the credentials were not accepted", uri, List.of()));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(Response.Status.FORBIDDEN, "this needs a role the caller does not have", uri, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("Request failed", e);
        return problem(Response.Status.INTERNAL_SERVER_ERROR, "an internal error occurred; it has been logged", uri, List.of());
    }

    private static Response problem(Response.StatusType status, String detail, UriInfo uri, List<Problem.Violation> violations) {
        Problem body = new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail,
                uri == null ? null : uri.getPath(), violations);
        return Response.status(status.getStatusCode()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static Response withChallenge(Response response) {
        return Response.fromResponse(response).header("WWW-Authenticate", "Basic realm=\"orderflow\"").build();
    }

    private static Problem.Violation violation(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "create.request.totalCents" -> "total_cents": name the field as the client wrote it.
        String field = path.substring(path.lastIndexOf('.') + 1).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
        return new Problem.Violation(field, violation.getMessage());
    }

    private static String fieldPath(MismatchedInputException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("?");
    }
}
