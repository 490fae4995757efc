function zmqtest_check(condition, what)
% Test helper: raises zmqtest:check unless condition holds; prints a line either way.
if ~(islogical(condition) || isnumeric(condition)) || isempty(condition) || ~all(condition(:))
  error('zmqtest:check', 'check failed: %s', what);
end
fprintf('ok: %s\n', what);
end
